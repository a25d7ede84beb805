namespace SessionAppliance.Bench;

/// <summary>
/// The memory the image gives the node on its smallest board, a 512 MB one (475 MiB seen by the kernel, as in
/// boot-check's guest): MemoryMax=30% of it (142.5 MiB) and a heap limit of 60% of that (85.5 MiB); the read cache and
/// the other budgets follow from the heap limit by themselves.
/// </summary>
public static class BoardLimits
{
    /// <summary>What the kernel of a 512 MB board reports, as in boot-check's guest.</summary>
    public const int SmallestBoardMiB = 475;

    /// <summary>Hex without "0x": Native AOT ignores a DOTNET_GC* value written with the prefix.</summary>
    public static readonly string HeapHardLimit = HeapLimitBytes(SmallestBoardMiB).ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The node's heap limit on a board whose kernel sees <paramref name="boardMiB"/>: 60% of MemoryMax=30%, so 18%.</summary>
    public static long HeapLimitBytes(int boardMiB) => ((long)boardMiB << 20) * 18 / 100;

    /// <summary>Sets the limits, then anything SESSION_APPLIANCE_BENCH_NODE_ENV="NAME=VALUE;…" overrides, for node processes only.</summary>
    public static void ApplyTo(IDictionary<string, string?> environment)
    {
        environment["DOTNET_GCHeapHardLimit"] = HeapHardLimit;
        foreach (var setting in (Environment.GetEnvironmentVariable("SESSION_APPLIANCE_BENCH_NODE_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = setting.Split('=', 2);
            environment[parts[0]] = parts[^1];
        }
    }
}
