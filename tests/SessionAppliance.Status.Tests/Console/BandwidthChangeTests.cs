using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Status.Console;

namespace SessionAppliance.Status.Tests.Console;

public class BandwidthChangeTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    private static BandwidthChange Change(string rate = "", string burst = "", string quota = "", string day = "", string policy = "", string rule = "", string schedule = "") =>
        new(rate, burst, quota, day, policy, rule, schedule);

    [Fact]
    public void A_valid_change_passes_and_is_written_as_settings_file_lines()
    {
        var change = Change("2 MB/s", "4 MB", "500 GB", "15", "Hibernate", "OutOnly", "18:00-23:00 1 MB/s, 01:00-06:00 10 MB/s");

        Assert.Empty(change.Validate(Clock));
        Assert.Equal(
            "bandwidth_rate = 2 MB/s\nbandwidth_burst = 4 MB\nmonthly_quota = 500 GB\nquota_start_day = 15\nbandwidth_policy = Hibernate\nquota_rule = OutOnly\nbandwidth_schedule = 18:00-23:00 1 MB/s, 01:00-06:00 10 MB/s\n",
            change.RequestText());
    }

    [Fact]
    public void Empty_fields_mean_the_defaults_and_pass() => Assert.Empty(Change().Validate(Clock));

    [Fact]
    public void A_bad_rate_is_refused_in_the_nodes_own_words()
    {
        var problems = Change(rate: "fast").Validate(Clock);

        Assert.Contains(problems, p => p.StartsWith("Bandwidth:IngressRate 'fast' is not a positive rate", StringComparison.Ordinal));
    }

    [Fact]
    public void A_burst_below_one_second_of_the_rate_is_refused_as_the_node_refuses_it()
    {
        var problems = Change(rate: "10 MB/s", burst: "1 MB").Validate(Clock);

        Assert.Contains(problems, p => p.Contains("below one second of the rate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("29")]
    [InlineData("x")]
    public void A_start_day_outside_1_to_28_is_refused(string day) => Assert.NotEmpty(Change(day: day).Validate(Clock));

    [Theory]
    [InlineData("Pace2")]
    [InlineData("1")]
    public void Unknown_policies_are_refused(string policy) => Assert.NotEmpty(Change(policy: policy).Validate(Clock));

    [Theory]
    [InlineData("18:00 1 MB/s")]
    [InlineData("18:00-25:00 1 MB/s")]
    [InlineData("18:00-23:00 quickly")]
    [InlineData("18:00:00-23:00 1 MB/s")]
    [InlineData(", 18:00-23:00 1 MB/s")]
    [InlineData("18:00-23:00 1 MB/s,,01:00-02:00 1 MB/s")]
    public void Bad_schedules_are_refused(string schedule) => Assert.NotEmpty(Change(schedule: schedule).Validate(Clock));

    [Theory]
    [InlineData("2 MB/s\nmonthly_quota = 1 B")]
    [InlineData("2 MB/s\"")]
    [InlineData("$(reboot)")]
    public void Values_that_could_break_the_settings_file_are_refused(string rate) => Assert.NotEmpty(Change(rate: rate).Validate(Clock));
}
