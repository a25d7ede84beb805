using System.Diagnostics;

namespace SessionAppliance.Bench;

/// <summary>Runs an operation from many concurrent workers for a fixed time and records each latency.</summary>
public static class LoadRun
{
    public sealed record Result(long Operations, long Failures, TimeSpan Elapsed, double P50Ms, double P99Ms)
    {
        public double PerSecond => Operations / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(int workers, TimeSpan duration, Func<int, long, Task<bool>> operation)
    {
        var latencies = new List<double>[workers];
        long failures = 0;
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            for (long i = 0; stopwatch.Elapsed < duration; i++)
            {
                var started = Stopwatch.GetTimestamp();
                if (!await operation(worker, i).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref failures);
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = stopwatch.Elapsed;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, failures, elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
