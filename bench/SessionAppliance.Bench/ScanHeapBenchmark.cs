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

    /// <summary>The smallest board's heap limit first, then tighter ones.</summary>
    private static readonly long[] HeapLimitsMiB = [0, 80, 72, 64, 56, 48];

    public static async Task RunAsync(BenchOptions options, IReadOnlyList<(string Name, string Executable)> builds)
    {
        var boardLimit = BoardLimits.HeapLimitBytes(BoardLimits.SmallestBoardMiB);
        var messages = (int)StorageCapacity.ResolveMaxMessages(0, boardLimit);
        var template = Directory.CreateTempSubdirectory("sa-scan-heap-").FullName;
        try
        {
            Console.Error.WriteLine($"  preparing a data directory: key and certificate, then {messages:N0} messages (the cap under {boardLimit / (1024.0 * 1024):N1} MiB) over {options.Accounts:N0} accounts");
            using (var first = await NodeRun.StartAsync(builds[0].Executable, template))
            {
                first.Stop();
            }

            var store = new LiteDbMessageStore(Path.Combine(template, "messages.db"), new StorageOptions(), TimeProvider.System);
            await new StorageWorkload(options.Accounts).FillAsync(store, messages);
            await store.DisposeAsync();

            Console.WriteLine();
            Console.WriteLine($"| heap limit (after a crash, {messages:N0} messages of 1 KB) | {string.Join(" | ", builds.Select(b => $"{b.Name}: ready of {RunsPerLimit}; start to ready"))} |");
            Console.WriteLine($"|---|{string.Concat(builds.Select(_ => "---:|"))}");
            foreach (var limitMiB in HeapLimitsMiB)
            {
                var limit = limitMiB == 0 ? boardLimit : limitMiB << 20;
                var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = limit.ToString("X", CultureInfo.InvariantCulture) };
                var cells = new List<string>();
                foreach (var (name, executable) in builds)
                {
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

                    cells.Add($"{starts.Count} of {RunsPerLimit}{(starts.Count > 0 ? "; " + string.Join(" / ", starts.Select(s => s.ToString("N2", CultureInfo.InvariantCulture) + " s")) : "")}");
                }

                var label = limitMiB == 0 ? $"{limit / (1024.0 * 1024):N1} MiB (the 512 MB board's)" : $"{limitMiB} MiB";
                Console.WriteLine($"| {label} | {string.Join(" | ", cells)} |");
            }
        }
        finally
        {
            Directory.Delete(template, recursive: true);
        }
    }
}
