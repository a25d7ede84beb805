using System.Globalization;

namespace SessionAppliance.Bench;

/// <summary>A process's resident memory as the kernel counts it (VmRSS in /proc/PID/status).</summary>
public static class ProcessRss
{
    public static double MiB(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Runs <paramref name="load"/> while sampling the process's RSS every 100 ms; returns its result and the peak.</summary>
    public static async Task<(T Result, double PeakMiB)> PeakWhileAsync<T>(int processId, Func<Task<T>> load)
    {
        double peak = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, MiB(processId));
                await Task.Delay(100, CancellationToken.None);
            }
        });
        var result = await load();
        await stop.CancelAsync();
        await sampler;
        return (result, peak);
    }
}
