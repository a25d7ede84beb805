namespace SessionAppliance.Node.Tests.Support;

/// <summary>One node shared by a test class; tests use fresh accounts so they never see each other's data.</summary>
public sealed class NodeFixture : IAsyncLifetime
{
    public TestNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
