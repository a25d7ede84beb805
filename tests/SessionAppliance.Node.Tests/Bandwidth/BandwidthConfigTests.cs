using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Node.Bandwidth;

namespace SessionAppliance.Node.Tests.Bandwidth;

public sealed class BandwidthConfigTests
{
    [Theory]
    [InlineData("2 MB/s", 2_000_000)]
    [InlineData("20 Mbit/s", 2_500_000)]
    [InlineData("1.5 MiB/s", 1_572_864)]
    [InlineData("512 kB/s", 512_000)]
    public void Rates_are_read_in_human_units(string text, long expected)
    {
        Assert.True(DataUnits.TryParseRate(text, out var rate));
        Assert.Equal(expected, rate);
    }

    [Theory]
    [InlineData("500 GB", 500_000_000_000)]
    [InlineData("4 MiB", 4_194_304)]
    [InlineData("1 TB", 1_000_000_000_000)]
    public void Amounts_are_read_in_human_units(string text, long expected)
    {
        Assert.True(DataUnits.TryParseAmount(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("-2 MB/s")]
    [InlineData("0 MB/s")]
    [InlineData("2 MB")]
    [InlineData("fast")]
    [InlineData("2 mb/s")]
    [InlineData("2MB/s")]
    public void Bad_rates_are_not_read(string text) => Assert.False(DataUnits.TryParseRate(text, out _));

    [Fact]
    public void Bad_config_names_each_key_and_clamps_nothing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        var options = new BandwidthOptions
        {
            IngressRate = "-1 MB/s",
            EgressRate = "10 MB/s",
            Burst = "1 MB",
            MonthlyQuota = "lots",
            PeriodStartDay = 31,
            PeriodStart = "2026-12-01",
            Schedule = [new ScheduleWindow { From = "25:00", To = "23:00", Rate = "1 MB" }],
        };

        var result = new BandwidthOptionsValidator(clock).Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Bandwidth:IngressRate", "Bandwidth:Burst", "Bandwidth:MonthlyQuota", "Bandwidth:PeriodStartDay", "Bandwidth:PeriodStart", "Bandwidth:Schedule:0:From/To", "Bandwidth:Schedule:0:Rate" })
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(key + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_period_start_more_than_a_month_ago_is_refused()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);

        var result = new BandwidthOptionsValidator(clock).Validate(null, new BandwidthOptions { PeriodStart = "2026-09-01" });

        Assert.Contains("in the past", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid_and_limit_nothing()
    {
        Assert.True(new BandwidthOptionsValidator(TimeProvider.System).Validate(null, new BandwidthOptions()).Succeeded);
        Assert.False(new BandwidthGovernor(BandwidthPlan.From(new BandwidthOptions()), TimeProvider.System).Limits);
    }
}
