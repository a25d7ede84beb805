namespace SessionAppliance.Node.Tests.Support;

/// <summary>The system clock moved by an offset a test controls, to put the node ahead of or behind its clients.</summary>
public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
