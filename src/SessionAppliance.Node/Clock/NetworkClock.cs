namespace SessionAppliance.Node.Clock;

/// <summary>
/// The node's clock: the system's, moved by an offset while NTP has not set the system clock and the peers'
/// signed times say it is wrong (<see cref="ClockTrust"/>). Timers and elapsed-time stamps are the system's own,
/// so only wall-clock readings (request windows, expiries, signatures) move.
/// </summary>
public sealed class NetworkClock(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>The uncorrected clock, which offsets are measured against.</summary>
    public TimeProvider Uncorrected => system;

    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + Offset;

    public override long GetTimestamp() => system.GetTimestamp();

    public override long TimestampFrequency => system.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => system.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        system.CreateTimer(callback, state, dueTime, period);

    internal void SetOffset(TimeSpan offset) => Volatile.Write(ref _offsetTicks, offset.Ticks);
}
