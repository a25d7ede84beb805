using SessionAppliance.Status.Model;
using SessionAppliance.Status.Tests.Support;

namespace SessionAppliance.Status.Tests.Console;

public class PairingTests
{
    private static void DoublePress(Bench bench)
    {
        bench.Hold(TimeSpan.FromMilliseconds(150));
        bench.Run(TimeSpan.FromMilliseconds(200));
        bench.Hold(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void A_double_press_opens_the_pairing_window_and_the_light_shows_it()
    {
        using var bench = new Bench();
        bench.Healthy();
        bench.Run(TimeSpan.FromSeconds(1));

        DoublePress(bench);
        bench.Run(TimeSpan.FromMilliseconds(50));

        Assert.True(bench.Engine.PairingOpen);
        Assert.Equal(ApplianceState.Pairing, bench.Engine.State);
        Assert.Equal(0, bench.Actions.Shutdowns);
    }

    [Fact]
    public void A_single_short_press_still_only_spells_the_state()
    {
        using var bench = new Bench();
        bench.Healthy();
        bench.Run(TimeSpan.FromSeconds(1));

        bench.Hold(TimeSpan.FromMilliseconds(150));
        bench.Run(TimeSpan.FromSeconds(2));

        Assert.False(bench.Engine.PairingOpen);
        Assert.Equal(ApplianceState.Healthy, bench.Engine.State);
    }

    [Fact]
    public void Two_presses_far_apart_do_not_pair()
    {
        using var bench = new Bench();
        bench.Healthy();
        bench.Hold(TimeSpan.FromMilliseconds(150));
        bench.Run(TimeSpan.FromSeconds(2));
        bench.Hold(TimeSpan.FromMilliseconds(150));
        bench.Run(TimeSpan.FromMilliseconds(50));

        Assert.False(bench.Engine.PairingOpen);
    }

    [Fact]
    public void The_window_lets_exactly_one_browser_claim_it_and_closes_after_five_minutes()
    {
        using var bench = new Bench();
        bench.Healthy();
        Assert.False(bench.Engine.TryClaimPairing());

        DoublePress(bench);
        Assert.True(bench.Engine.TryClaimPairing());
        Assert.False(bench.Engine.TryClaimPairing());

        DoublePress(bench);
        bench.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.False(bench.Engine.PairingOpen);
        Assert.False(bench.Engine.TryClaimPairing());
    }

    [Fact]
    public void A_pair_request_file_opens_the_window_once_per_touch()
    {
        using var bench = new Bench();
        var touched = bench.Clock.GetUtcNow();
        bench.Engine.RequestsRead(new OperatorRequests(false, false) { PairRequestedAt = touched });
        Assert.True(bench.Engine.TryClaimPairing());

        bench.Engine.RequestsRead(new OperatorRequests(false, false) { PairRequestedAt = touched });
        Assert.False(bench.Engine.PairingOpen);

        bench.Clock.Advance(TimeSpan.FromSeconds(10));
        bench.Engine.RequestsRead(new OperatorRequests(false, false) { PairRequestedAt = bench.Clock.GetUtcNow() });
        Assert.True(bench.Engine.PairingOpen);
    }
}
