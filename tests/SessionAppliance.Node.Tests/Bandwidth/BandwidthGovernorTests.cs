using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Node.Bandwidth;

namespace SessionAppliance.Node.Tests.Bandwidth;

/// <summary>The governor on a simulated clock: whole months, schedules, restarts and shedding by class.</summary>
public sealed class BandwidthGovernorTests
{
    private const long Quota = 50_000_000_000;
    private static readonly DateTimeOffset MonthStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(QuotaPolicy.Pace)]
    [InlineData(QuotaPolicy.Hibernate)]
    public void A_month_of_saturating_traffic_stays_within_one_percent_of_the_quota(QuotaPolicy policy)
    {
        var clock = Clock(MonthStart);
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { EgressRate = "10 MB/s", IngressRate = "10 MB/s", MonthlyQuota = "50 GB", Policy = policy }), clock);
        var (total, lastDay) = Saturate(governor, clock, until: MonthStart.AddMonths(1));

        Assert.InRange(total, Quota * 0.9, Quota * 1.01);
        if (policy == QuotaPolicy.Pace)
        {
            Assert.True(lastDay > 0, "pace must still serve traffic on the last day of the period");
        }
    }

    [Fact]
    public async Task A_governed_stream_refuses_synchronous_io_that_would_block_on_the_throttle()
    {
        var clock = Clock(MonthStart);
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { EgressRate = "1 MB/s", IngressRate = "1 MB/s" }), clock);
        await using var stream = new GovernedStream(new MemoryStream(new byte[16]), governor);

        Assert.Throws<NotSupportedException>(() => stream.Write([1, 2, 3], 0, 3));
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[4], 0, 4));
        Assert.Throws<NotSupportedException>(() => stream.Write([1]));
        Assert.Equal(4, await stream.ReadAsync(new byte[4]));
    }

    [Fact]
    public void Under_hibernate_relaying_and_refills_are_refused_once_the_reserve_is_reached_but_storage_is_served()
    {
        var clock = Clock(MonthStart);
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { MonthlyQuota = "50 GB", Policy = QuotaPolicy.Hibernate }), clock);
        governor.Reserve(Direction.Egress, (long)(Quota * 0.995));

        Assert.NotNull(governor.Refusal(TrafficClass.Onion));
        Assert.NotNull(governor.Refusal(TrafficClass.Proxy));
        Assert.NotNull(governor.Refusal(TrafficClass.Refill));
        Assert.Null(governor.Refusal(TrafficClass.Client));
        Assert.Null(governor.Refusal(TrafficClass.Swarm));
        Assert.StartsWith("hibernate", governor.EffectiveRate(Direction.Egress).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schedule_switches_at_the_configured_minute()
    {
        var clock = Clock(new DateTimeOffset(2026, 11, 23, 17, 59, 0, TimeSpan.Zero));
        var options = new BandwidthOptions { EgressRate = "10 MB/s", Schedule = [new ScheduleWindow { From = "18:00", To = "23:00", Rate = "1 MB/s" }] };
        var governor = new BandwidthGovernor(Plan(options), clock);

        Assert.Equal(10_000_000, governor.EffectiveRate(Direction.Egress).Rate);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1_000_000, governor.EffectiveRate(Direction.Egress).Rate);
        clock.Advance(TimeSpan.FromMinutes(299));
        Assert.Equal(1_000_000, governor.EffectiveRate(Direction.Egress).Rate);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(10_000_000, governor.EffectiveRate(Direction.Egress).Rate);
    }

    [Fact]
    public void Counters_survive_a_restart_and_a_power_cut_counts_one_interval_at_full_rate()
    {
        var directory = Directory.CreateTempSubdirectory("sa-bandwidth-").FullName;
        var path = Path.Combine(directory, BandwidthCounterStore.FileName);
        var clock = Clock(MonthStart.AddDays(3));
        var options = new BandwidthOptions { EgressRate = "1 MB/s", MonthlyQuota = "50 GB" };
        var first = new BandwidthGovernor(Plan(options), clock);
        first.Reserve(Direction.Egress, 123_456_789);
        first.Reserve(Direction.Ingress, 1_000);
        var store = new BandwidthCounterStore(path, first, Microsoft.Extensions.Options.Options.Create(options), clock);

        store.Save(clean: true);
        var afterShutdown = new BandwidthGovernor(Plan(options), clock, BandwidthCounterStore.Load(path));
        store.Save(clean: false);
        var afterPowerCut = new BandwidthGovernor(Plan(options), clock, BandwidthCounterStore.Load(path));

        Assert.Equal(123_456_789, afterShutdown.Snapshot(clean: false).EgressBytes);
        Assert.Equal(1_000, afterShutdown.Snapshot(clean: false).IngressBytes);
        Assert.Equal(123_456_789 + 60_000_000, afterPowerCut.Snapshot(clean: false).EgressBytes);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Counters_from_an_earlier_period_are_not_carried_over()
    {
        var clock = Clock(MonthStart.AddDays(3));
        var saved = new BandwidthCounters(new DateTime(2026, 10, 1), 5, 5, CleanShutdown: true);

        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { MonthlyQuota = "50 GB" }), clock, saved);

        Assert.Equal(0, governor.Snapshot(clean: true).EgressBytes);
    }

    [Fact]
    public void A_saturated_uplink_sheds_proxying_before_onion_before_clients()
    {
        var clock = Clock(MonthStart);
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { EgressRate = "1 MB/s", Burst = "1 MB" }), clock);

        governor.Reserve(Direction.Egress, 2_000_000);
        Assert.NotNull(governor.Refusal(TrafficClass.Proxy));
        Assert.Null(governor.Refusal(TrafficClass.Onion));

        governor.Reserve(Direction.Egress, 2_000_000);
        Assert.NotNull(governor.Refusal(TrafficClass.Onion));
        Assert.Null(governor.Refusal(TrafficClass.Client));
        Assert.Contains("onion", governor.Refusal(TrafficClass.Onion), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refill_waits_until_the_uplink_has_no_backlog_while_other_classes_are_served()
    {
        var clock = Clock(MonthStart);
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { EgressRate = "1 MB/s", Burst = "1 MB" }), clock);
        governor.Reserve(Direction.Egress, 1_300_000);

        Assert.Contains("refill", governor.Refusal(TrafficClass.Refill), StringComparison.Ordinal);
        Assert.Null(governor.Refusal(TrafficClass.Proxy));
        var turn = governor.WaitForTurnAsync(TrafficClass.Refill, CancellationToken.None);
        Assert.False(turn.IsCompleted);

        // 0.3 MB of backlog at 1 MB/s is gone by the first recheck, a second later.
        clock.Advance(TimeSpan.FromSeconds(1));
        await turn.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(governor.Refusal(TrafficClass.Refill));
    }

    [Fact]
    public void A_refill_is_refused_once_the_quota_is_used_up()
    {
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { MonthlyQuota = "50 GB", Policy = QuotaPolicy.Pace }), Clock(MonthStart));
        governor.Reserve(Direction.Egress, Quota);

        Assert.Contains("quota used up", governor.Refusal(TrafficClass.Refill), StringComparison.Ordinal);
    }

    [Fact]
    public void The_period_starts_on_the_configured_day()
    {
        var plan = Plan(new BandwidthOptions { PeriodStartDay = 15 });

        Assert.Equal((new DateTime(2026, 11, 15), new DateTime(2026, 12, 15)), plan.PeriodOf(new DateTime(2026, 11, 23)));
        Assert.Equal((new DateTime(2026, 10, 15), new DateTime(2026, 11, 15)), plan.PeriodOf(new DateTime(2026, 11, 2)));
    }

    [Fact]
    public void Refills_a_fraction_of_a_clock_tick_apart_lose_no_time()
    {
        // Sockets refill every few hundred nanoseconds under load; each refill must credit all the time since the last.
        var clock = new NanosecondClock();
        var governor = new BandwidthGovernor(Plan(new BandwidthOptions { EgressRate = "4 MB/s" }), clock);
        governor.Reserve(Direction.Egress, 4_000_000);
        for (var i = 0; i < 1_000_000; i++)
        {
            clock.Nanoseconds += 150;
            governor.Reserve(Direction.Egress, 0);
        }

        // 0.15 s at 4 MB/s is 600,000 bytes, all of it available now.
        Assert.Equal(TimeSpan.Zero, governor.Reserve(Direction.Egress, 599_000));
    }

    private sealed class NanosecondClock : TimeProvider
    {
        public long Nanoseconds { get; set; }

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => Nanoseconds;

        public override DateTimeOffset GetUtcNow() => MonthStart.AddDays(10);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    /// <summary>A sender that always has more to send, in 1 MB chunks, waiting as long as the governor says.</summary>
    private static (long Total, long LastDay) Saturate(BandwidthGovernor governor, FakeTimeProvider clock, DateTimeOffset until)
    {
        long total = 0, lastDay = 0;
        while (clock.GetUtcNow() < until)
        {
            var wait = governor.Reserve(Direction.Egress, 1_000_000);
            total += 1_000_000;
            if (clock.GetUtcNow() >= until.AddDays(-1))
            {
                lastDay += 1_000_000;
            }

            clock.Advance(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(100));
        }

        return (total, lastDay);
    }

    private static FakeTimeProvider Clock(DateTimeOffset start)
    {
        var clock = new FakeTimeProvider(start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    private static BandwidthPlan Plan(BandwidthOptions options) => BandwidthPlan.From(options);
}
