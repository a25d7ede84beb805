namespace SessionAppliance.Status.Board;

/// <summary>What the button may do to the whole board. Tests use a recording fake, never the real thing.</summary>
public interface ISystemActions
{
    Task ShutdownAsync(CancellationToken cancellationToken);

    Task FactoryResetAsync(CancellationToken cancellationToken);
}
