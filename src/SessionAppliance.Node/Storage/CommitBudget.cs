using System.Diagnostics;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The fsync budget: a token bucket of commits, <c>rate</c> per second with a quarter second's worth in hand. A
/// write that finds a token commits at once, so a lone store is acknowledged as soon as it is durable; under load
/// the writes that arrive while the budget refills share the next commit. Each commit is one flush of the card,
/// so the budget caps the card's commit overhead whatever the load. Used by the single writer only: not
/// synchronised, hence the suffixes.
/// </summary>
internal sealed class CommitBudget
{
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _refilled;

    /// <param name="perSecond">Commits per second; 0 means no budget (commit whenever writes are waiting).</param>
    public CommitBudget(double perSecond, TimeProvider time)
    {
        _time = time;
        _perSecond = perSecond;
        _capacity = Math.Max(1, perSecond / 4);
        _tokens = _capacity;
        _refilled = time.GetTimestamp();
    }

    /// <summary>How long until a commit may start: zero when a token is in hand (or there is no budget).</summary>
    public TimeSpan WaitUnsynchronized()
    {
        if (_perSecond <= 0)
        {
            return TimeSpan.Zero;
        }

        RefillUnsynchronized();
        return _tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
    }

    /// <summary>Spends one commit, once <see cref="WaitUnsynchronized"/> allows it (a full batch does not spend).</summary>
    public void SpendUnsynchronized()
    {
        if (_perSecond <= 0)
        {
            return;
        }

        RefillUnsynchronized();
        _tokens -= 1;
        Debug.Assert(_tokens <= _capacity - 1, "a commit always spends a whole token");
    }

    private void RefillUnsynchronized()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_refilled, now).TotalSeconds * _perSecond));
        _refilled = now;
    }
}
