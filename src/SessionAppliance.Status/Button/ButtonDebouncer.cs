namespace SessionAppliance.Status.Button;

/// <summary>Accepts a new button level only after it has held steady for the debounce time; contact bounce is ignored.</summary>
public sealed class ButtonDebouncer(TimeSpan stableFor)
{
    private bool _candidate;
    private DateTimeOffset _candidateSince;

    public bool Pressed { get; private set; }

    /// <summary>Feeds one raw sample; returns true when the debounced level changed.</summary>
    public bool Update(bool rawPressed, DateTimeOffset now)
    {
        if (rawPressed != _candidate)
        {
            _candidate = rawPressed;
            _candidateSince = now;
        }

        if (_candidate == Pressed || now - _candidateSince < stableFor)
        {
            return false;
        }

        Pressed = _candidate;
        return true;
    }
}
