using System.Globalization;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Bench;

/// <summary>
/// After a power cut the node rebuilds its index by scanning the store, its one burst of allocation. This starts each
/// published build (scripts/bench scan-heap: this commit's and an earlier one, Native AOT) on a store filled to the
/// message cap of the smallest board (as many 1 KB messages as its 85.5 MiB heap limit lets the node keep), with no
/// index snapshot, under heap limits from the board's down, and counts the starts that reach ready.
/// </summary>
public static class ScanHeapBenchmark
{
    private const int RunsPerLimit = 3;

    /// <summary>Heap limits tighter than the smallest board's, tried after it.</summary>
    private static readonly long[] TighterLimitsMiB = [80, 72, 64, 56, 48];

    public static async Task RunAsync(BenchOptions options, IReadOnlyList<(string Name, string Executable)> builds)
    {
        var boardLimit = BoardLimits.HeapLimitBytes(BoardLimits.SmallestBoardMiB);
        var messages = (int)StorageCapacity.ResolveMaxMessages(0, boardLimit);
        var template = Directory.CreateTempSubdirectory("sa-scan-heap-").FullName;
        try
        {
            await StartBenchmark.PrepareAsync(template, builds[0].Executable, messages, options.Accounts);

            Console.WriteLine();
            Console.WriteLine($"| heap limit (after a crash, {messages:N0} messages of 1 KB) | {string.Join(" | ", builds.Select(b => $"{b.Name}: ready of {RunsPerLimit}; start to ready"))} |");
            Console.WriteLine($"|---|{string.Concat(builds.Select(_ => "---:|"))}");
            foreach (var limit in TighterLimitsMiB.Select(m => m << 20).Prepend(boardLimit))
            {
                var cells = new List<string>();
                foreach (var (name, executable) in builds)
                {
                    cells.Add(await RunsAsync(name, executable, template, limit));
                }

                Console.WriteLine($"| {limit / (1024.0 * 1024):0.#} MiB{(limit == boardLimit ? " (the 512 MB board's)" : "")} | {string.Join(" | ", cells)} |");
            }
        }
        finally
        {
            Directory.Delete(template, recursive: true);
        }
    }

    /// <summary>One build's starts after a crash under one heap limit: how many reached ready, and their times.</summary>
    private static async Task<string> RunsAsync(string name, string executable, string template, long limit)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = limit.ToString("X", CultureInfo.InvariantCulture) };
        var starts = new List<double>();
        for (var run = 1; run <= RunsPerLimit; run++)
        {
            try
            {
                starts.Add((await StartBenchmark.StartAfterCrashAsync(executable, template, environment)).Seconds);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"  {name} under {limit / (1024.0 * 1024):N1} MiB, run {run}: {e.Message}");
            }
        }

        var times = string.Join(" / ", starts.Select(s => s.ToString("N2", CultureInfo.InvariantCulture) + " s"));
        return starts.Count > 0 ? $"{starts.Count} of {RunsPerLimit}; {times}" : $"0 of {RunsPerLimit}";
    }
}
