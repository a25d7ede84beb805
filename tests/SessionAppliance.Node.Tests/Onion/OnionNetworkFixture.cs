using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Onion;

/// <summary>Four nodes that know each other: a guard, two relays and a destination.</summary>
public sealed class OnionNetworkFixture : IAsyncLifetime
{
    public TestNetwork Network { get; private set; } = null!;

    public async Task InitializeAsync() => Network = await TestNetwork.StartAsync(4, "--Onion:AllowPrivateProxyTargets=true");

    public async Task DisposeAsync() => await Network.DisposeAsync();
}
