using SessionAppliance.Status.Model;
using SessionAppliance.Status.Tests.Support;

namespace SessionAppliance.Status.Tests;

public class StatusEngineTests
{
    public static TheoryData<ApplianceState> AllStates => [.. Enum.GetValues<ApplianceState>()];

    [Theory]
    [MemberData(nameof(AllStates))]
    public void Every_state_shows_its_pattern_with_the_documented_timing(ApplianceState state)
    {
        using var bench = new Bench();
        bench.NodeAnswers = state switch
        {
            ApplianceState.Booting or ApplianceState.Error => null,
            ApplianceState.Starting => new NodeReport(true, [], [], Starting: true),
            ApplianceState.NotReady => new NodeReport(false, ["still syncing"], []),
            ApplianceState.Degraded => new NodeReport(true, [], ["storage nearly full"]),
            _ => new NodeReport(true, [], []),
        };
        bench.Engine.RequestsRead(new OperatorRequests(state == ApplianceState.Identify, state == ApplianceState.UpdateInProgress)
        {
            PairRequestedAt = state == ApplianceState.Pairing ? bench.Clock.GetUtcNow() : null,
        });
        if (state == ApplianceState.Error)
        {
            bench.Run(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(1));
        }

        if (state == ApplianceState.ShuttingDown)
        {
            bench.Healthy();
            bench.Hold(TimeSpan.FromSeconds(4));
        }

        var pattern = StateDisplay.PatternOf(state);
        bench.Run(TimeSpan.FromMilliseconds(pattern.PeriodMilliseconds));
        var samples = bench.Run(TimeSpan.FromMilliseconds(pattern.PeriodMilliseconds));

        Assert.Equal(state, bench.Engine.State);
        Assert.Equal(Expected(pattern, samples.Count, StartOffset(bench, pattern, samples)), samples);
    }

    /// <summary>The pattern sampled every 10 ms; the phase is found from the samples so that only the shape is compared.</summary>
    private static List<bool> Expected(LedPattern pattern, int count, int offset) =>
        [.. Enumerable.Range(0, count).Select(i => pattern.IsOnAt(TimeSpan.FromMilliseconds((i + offset) * 10)))];

    private static int StartOffset(Bench bench, LedPattern pattern, List<bool> samples)
    {
        var period = pattern.PeriodMilliseconds / 10;
        return Enumerable.Range(0, period).FirstOrDefault(o => Expected(pattern, samples.Count, o).SequenceEqual(samples));
    }

    [Fact]
    public void States_follow_the_priority_table()
    {
        var healthyNode = new NodeReport(true, [], []);
        var board = new BoardReport(85, true, true, false);
        var inputs = new StatusInputs(NodeContact.Answering, new NodeReport(false, ["syncing"], ["storage nearly full"]), board, new OperatorRequests(true, true), false);

        var holding = StatePriority.Holding(inputs).Select(h => h.State).Distinct().ToList();

        Assert.Equal([ApplianceState.Identify, ApplianceState.UpdateInProgress, ApplianceState.NotReady, ApplianceState.Degraded], holding);
        Assert.Equal(ApplianceState.Healthy, StatePriority.Choose(inputs with { Report = healthyNode, Board = new BoardReport(null, null, null, null), Requests = new(false, false) }));
        Assert.Equal(ApplianceState.Identify, StatePriority.Choose(inputs with { Node = NodeContact.Lost }));
        Assert.Equal(ApplianceState.Error, StatePriority.Choose(inputs with { Node = NodeContact.Lost, Requests = new(false, false) }));
    }

    [Fact]
    public void Missing_sensors_are_unknown_and_never_degrade_or_clear_anything()
    {
        var unknown = new BoardReport(null, null, null, null);
        var inputs = new StatusInputs(NodeContact.Answering, new NodeReport(true, [], []), unknown, new OperatorRequests(false, false), false);

        Assert.Equal(ApplianceState.Healthy, StatePriority.Choose(inputs));
        Assert.Equal(ApplianceState.Degraded, StatePriority.Choose(inputs with { Board = unknown with { UnderVoltage = true } }));
    }

    [Fact]
    public void An_answering_node_judges_its_own_clock_and_the_board_flag_speaks_only_without_it()
    {
        var unsynced = new BoardReport(null, null, null, ClockSynchronised: false);
        var inputs = new StatusInputs(NodeContact.Answering, new NodeReport(true, [], []), unsynced, new OperatorRequests(false, false), false);

        Assert.Equal(ApplianceState.Healthy, StatePriority.Choose(inputs));
        Assert.Equal((ApplianceState.NotReady, "clock not synchronised: NTP has not set the time"),
            StatePriority.Holding(inputs with { Report = new NodeReport(false, ["clock not synchronised: NTP has not set the time"], []) })[0]);
        Assert.Contains((ApplianceState.NotReady, "clock not synchronised"), StatePriority.Holding(inputs with { Node = NodeContact.Lost, Report = null }));
    }

    [Fact]
    public void A_node_that_stops_answering_turns_the_led_to_error_within_the_timeout()
    {
        using var bench = new Bench();
        bench.Healthy();
        bench.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(ApplianceState.Healthy, bench.Engine.State);

        bench.NodeAnswers = null;
        bench.Run(TimeSpan.FromSeconds(6));
        Assert.Equal(ApplianceState.Healthy, bench.Engine.State);
        bench.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(ApplianceState.Error, bench.Engine.State);
    }

    [Fact]
    public void Before_the_node_ever_answers_it_is_booting_then_error_after_the_grace()
    {
        using var bench = new Bench();

        bench.Run(TimeSpan.FromMinutes(2));
        Assert.Equal(ApplianceState.Booting, bench.Engine.State);
        bench.Run(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(ApplianceState.Error, bench.Engine.State);
    }
}
