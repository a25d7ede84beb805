using SessionAppliance.Status.Board;

namespace SessionAppliance.Status.Tests.Support;

/// <summary>Records shutdown and reset requests instead of doing them.</summary>
public sealed class RecordingSystemActions : ISystemActions
{
    public int Shutdowns { get; private set; }

    public int FactoryResets { get; private set; }

    public Task ShutdownAsync(CancellationToken cancellationToken)
    {
        Shutdowns++;
        return Task.CompletedTask;
    }

    public Task FactoryResetAsync(CancellationToken cancellationToken)
    {
        FactoryResets++;
        return Task.CompletedTask;
    }
}
