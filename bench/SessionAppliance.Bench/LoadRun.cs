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
                if (!await Attempt(() => operation(worker, i)).ConfigureAwait(false))
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

    /// <summary>
    /// Open loop: starts operations at a fixed rate whatever the answers do, so latency is measured as a
    /// client population would see it at that load, not throttled by the benchmark's own waiting.
    /// </summary>
    private const int MaxInFlight = 2_000;

    public static async Task<Result> RunPacedAsync(double perSecond, TimeSpan duration, Func<long, Task<bool>> operation)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        long failures = 0;
        var inFlight = new List<Task>();
        var stopwatch = Stopwatch.StartNew();
        long started = 0;
        long pending = 0;
        while (stopwatch.Elapsed < duration)
        {
            var due = (long)(stopwatch.Elapsed.TotalSeconds * perSecond);
            for (; started < due; started++)
            {
                if (Interlocked.Read(ref pending) > MaxInFlight)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                var n = started;
                Interlocked.Increment(ref pending);
                inFlight.Add(Task.Run(async () =>
                {
                    var begin = Stopwatch.GetTimestamp();
                    if (!await Attempt(() => operation(n)).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                    Interlocked.Decrement(ref pending);
                }));
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var all = latencies.Order().ToArray();
        return new Result(all.Length, failures, stopwatch.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    /// <summary>A transport failure (reset, refused, timed out) counts as a failed operation.</summary>
    private static async Task<bool> Attempt(Func<Task<bool>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or TaskCanceledException)
        {
            return false;
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
