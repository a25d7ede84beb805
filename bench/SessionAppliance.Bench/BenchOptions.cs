using System.Globalization;

namespace SessionAppliance.Bench;

/// <summary>Command-line settings of the benchmark run.</summary>
public sealed record BenchOptions(string Suite, int PreloadMessages, TimeSpan Duration, int Concurrency, int Accounts, double? CommitsPerSecond = null, int RateKilobytes = 4000, int? JournalKilobytes = null)
{
    public const string Usage = "usage: session-appliance-bench [rpc|onion|storage|catch-up|bandwidth|swarm|transport|index|start|scan-heap|console|reference|soak|all] [--messages N] [--seconds S] [--minutes M] [--concurrency C] [--accounts A] [--commits-per-second N (0: no budget)] [--journal-kb K (0: no journal)] [--rate-kb K]";

    public static BenchOptions? Parse(string[] args)
    {
        var suite = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        args = suite == "all" && (args.Length == 0 || args[0] != "all") ? args : args[1..];
        // The bandwidth suite measures a cap over a minute by default; the others run 10 s per figure.
        var options = new BenchOptions(suite, 100_000, TimeSpan.FromSeconds(suite == "bandwidth" ? 60 : 10), 32, 500);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || (value == 0 && args[i] is not ("--journal-kb" or "--commits-per-second")))
            {
                return null;
            }

            options = args[i] switch
            {
                "--messages" => options with { PreloadMessages = value },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(value) },
                "--minutes" => options with { Duration = TimeSpan.FromMinutes(value) },
                "--concurrency" => options with { Concurrency = value },
                "--accounts" => options with { Accounts = value },
                "--commits-per-second" => options with { CommitsPerSecond = value },
                "--rate-kb" => options with { RateKilobytes = value },
                "--journal-kb" => options with { JournalKilobytes = value },
                _ => null,
            };
            if (options is null)
            {
                return null;
            }
        }

        return args.Length % 2 == 0 ? options : null;
    }
}
