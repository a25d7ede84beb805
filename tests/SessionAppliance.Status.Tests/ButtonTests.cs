using System.Device.Gpio;
using SessionAppliance.Status.Model;
using SessionAppliance.Status.Tests.Support;

namespace SessionAppliance.Status.Tests;

public class ButtonTests
{
    [Fact]
    public void Contact_bounce_shorter_than_the_debounce_is_ignored()
    {
        using var bench = new Bench();
        bench.Healthy();
        bench.Run(TimeSpan.FromSeconds(1));

        for (var i = 0; i < 10; i++)
        {
            bench.Gpio.SetInput(Bench.ButtonPin, i % 2 == 0 ? PinValue.Low : PinValue.High);
            bench.Run(TimeSpan.FromMilliseconds(20));
        }

        bench.Release();
        var after = bench.Run(TimeSpan.FromSeconds(3));

        Assert.Equal(Expected(StateDisplay.PatternOf(ApplianceState.Healthy), after).Count(x => x), after.Count(x => x));
        Assert.Equal(0, bench.Actions.Shutdowns);
    }

    private static List<bool> Expected(LedPattern pattern, List<bool> samples) =>
        [.. Enumerable.Range(0, samples.Count).Select(i => pattern.IsOnAt(TimeSpan.FromMilliseconds(i * 10)))];

    [Fact]
    public void A_short_press_spells_the_state_as_a_blink_count()
    {
        using var bench = new Bench();
        bench.NodeAnswers = new NodeReport(true, [], ["storage nearly full"]);
        bench.Run(TimeSpan.FromSeconds(1));

        bench.Hold(TimeSpan.FromMilliseconds(200));
        var spelled = bench.Run(TimeSpan.FromMilliseconds(LedPattern.BlinkCount(2).PeriodMilliseconds - 100));

        Assert.Equal(2, RisingEdges(spelled));
        Assert.Equal(0, bench.Actions.Shutdowns);
    }

    [Fact]
    public void Holding_3_seconds_shuts_the_board_down_on_release()
    {
        using var bench = new Bench();
        bench.Healthy();
        bench.Run(TimeSpan.FromSeconds(1));

        bench.Hold(TimeSpan.FromSeconds(4));

        Assert.Equal(1, bench.Actions.Shutdowns);
        Assert.Equal(0, bench.Actions.FactoryResets);
        Assert.Equal(ApplianceState.ShuttingDown, bench.Engine.State);
    }

    [Fact]
    public void Holding_10_seconds_then_a_second_press_resets_and_nothing_happens_at_3_seconds_on_the_way()
    {
        using var bench = new Bench();
        bench.Healthy();

        bench.Hold(TimeSpan.FromSeconds(11));
        Assert.Equal(0, bench.Actions.Shutdowns);
        Assert.Equal(0, bench.Actions.FactoryResets);
        var waiting = bench.Run(TimeSpan.FromMilliseconds(StateDisplay.ResetArmed.PeriodMilliseconds * 2));
        Assert.Equal(Expected(StateDisplay.ResetArmed, waiting).Count(x => x), waiting.Count(x => x));

        bench.Hold(TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, bench.Actions.FactoryResets);
        Assert.Equal(0, bench.Actions.Shutdowns);
    }

    [Fact]
    public void A_reset_that_is_not_confirmed_in_time_is_cancelled()
    {
        using var bench = new Bench();
        bench.Healthy();

        bench.Hold(TimeSpan.FromSeconds(11));
        bench.Run(TimeSpan.FromSeconds(11));
        bench.Hold(TimeSpan.FromMilliseconds(300));

        Assert.Equal(0, bench.Actions.FactoryResets);
        Assert.Equal(ApplianceState.Healthy, bench.Engine.State);
    }

    private static int RisingEdges(List<bool> samples) => samples.Zip(samples.Skip(1)).Count(p => !p.First && p.Second) + (samples[0] ? 1 : 0);
}
