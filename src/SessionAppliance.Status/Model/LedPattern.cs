namespace SessionAppliance.Status.Model;

/// <summary>A repeating sequence of on/off steps, in milliseconds.</summary>
public sealed class LedPattern
{
    private readonly (bool On, int Milliseconds)[] _steps;

    public LedPattern(params (bool On, int Milliseconds)[] steps)
    {
        if (steps.Length == 0 || steps.Any(s => s.Milliseconds <= 0))
        {
            throw new ArgumentException("a pattern needs steps of positive length", nameof(steps));
        }

        _steps = steps;
        PeriodMilliseconds = steps.Sum(s => s.Milliseconds);
    }

    public int PeriodMilliseconds { get; }

    public IReadOnlyList<(bool On, int Milliseconds)> Steps => _steps;

    /// <summary>Whether the LED is lit <paramref name="elapsed"/> after the pattern started.</summary>
    public bool IsOnAt(TimeSpan elapsed)
    {
        var position = (long)elapsed.TotalMilliseconds % PeriodMilliseconds;
        foreach (var (on, milliseconds) in _steps)
        {
            if (position < milliseconds)
            {
                return on;
            }

            position -= milliseconds;
        }

        return false;
    }

    /// <summary>N blinks of 300 ms, then a 1.5 s pause: how a short press spells a state.</summary>
    public static LedPattern BlinkCount(int count) =>
        new([.. Enumerable.Range(0, count).SelectMany(_ => new[] { (true, 300), (false, 300) }), (false, 1500)]);
}
