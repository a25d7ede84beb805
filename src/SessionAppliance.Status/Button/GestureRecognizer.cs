namespace SessionAppliance.Status.Button;

/// <summary>
/// Turns debounced presses into gestures. Actions happen on release, so holding on to 10 s never shuts the
/// board down at 3 s on the way; a factory reset needs a 10 s hold and then a second press within the
/// confirmation window, so it cannot happen by accident. Two short presses in quick succession open the
/// console's pairing window: the first still spells the state, so no existing gesture changes meaning.
/// </summary>
public sealed class GestureRecognizer(ButtonTimings timings)
{
    private DateTimeOffset? _pressedAt;
    private DateTimeOffset? _awaitingConfirmationSince;
    private DateTimeOffset? _lastShortRelease;

    public HoldFeedback Feedback(DateTimeOffset now)
    {
        if (_pressedAt is { } pressed)
        {
            var held = now - pressed;
            return held >= timings.ResetHold ? HoldFeedback.ResetArmed : held >= timings.ShutdownHold ? HoldFeedback.ShutdownArmed : HoldFeedback.None;
        }

        return _awaitingConfirmationSince is null ? HoldFeedback.None : HoldFeedback.ResetArmed;
    }

    /// <summary>Called on every debounced change and on every tick (for the confirmation timeout).</summary>
    public ButtonGesture Update(bool pressed, DateTimeOffset now)
    {
        if (_awaitingConfirmationSince is { } since && _pressedAt is null && now - since > timings.ResetConfirmWindow)
        {
            _awaitingConfirmationSince = null;
            return ButtonGesture.ResetCancelled;
        }

        if (pressed && _pressedAt is null)
        {
            _pressedAt = now;
            return ButtonGesture.None;
        }

        if (pressed || _pressedAt is not { } start)
        {
            return ButtonGesture.None;
        }

        _pressedAt = null;
        var held = now - start;
        if (_awaitingConfirmationSince is not null)
        {
            _awaitingConfirmationSince = null;
            return held < timings.ShutdownHold ? ButtonGesture.ResetConfirmed : ButtonGesture.ResetCancelled;
        }

        if (held >= timings.ResetHold)
        {
            _awaitingConfirmationSince = now;
            return ButtonGesture.ResetArmed;
        }

        if (held >= timings.ShutdownHold)
        {
            return ButtonGesture.Shutdown;
        }

        if (_lastShortRelease is { } previous && now - previous - held <= timings.DoublePressGap)
        {
            _lastShortRelease = null;
            return ButtonGesture.DoublePress;
        }

        _lastShortRelease = now;
        return ButtonGesture.ShortPress;
    }
}

/// <summary>Button timings; defaults are what the docs promise the operator.</summary>
public sealed record ButtonTimings
{
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(30);

    public TimeSpan ShutdownHold { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan ResetHold { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ResetConfirmWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most time between releasing the first short press and pressing the second, for a double press.</summary>
    public TimeSpan DoublePressGap { get; init; } = TimeSpan.FromMilliseconds(700);
}
