using System.Collections.Concurrent;

namespace SessionAppliance.Bench;

/// <summary>What the soak's workers saw in the current minute; swapped out once a minute for the report.</summary>
internal sealed class SoakCounters
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<double> _storeLatenciesMs = new();

    public void Count(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    public void StoreLatency(double milliseconds) => _storeLatenciesMs.Enqueue(milliseconds);

    public long this[string what] => _counts.GetValueOrDefault(what);

    public long Errors => _counts.Where(c => c.Key.StartsWith("error", StringComparison.Ordinal)).Sum(c => c.Value);

    public IEnumerable<KeyValuePair<string, long>> ErrorKinds => _counts.Where(c => c.Key.StartsWith("error", StringComparison.Ordinal));

    public double StoreP99Ms
    {
        get
        {
            var sorted = _storeLatenciesMs.Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))];
        }
    }
}
