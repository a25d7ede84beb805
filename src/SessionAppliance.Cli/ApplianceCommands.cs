using System.CommandLine;
using System.Diagnostics;
using SessionAppliance.Cli.Identity;
using SessionAppliance.Cli.Update;
using Spectre.Console;

namespace SessionAppliance.Cli;

/// <summary>The commands: status, identify, pair, logs, export-identity, import-identity and update.</summary>
internal static class ApplianceCommands
{
    public const string DefaultConsole = "http://127.0.0.1/";

    public static RootCommand Build(IAnsiConsole console, RequestFiles requests, HttpClient http)
    {
        var root = new RootCommand("The Session appliance on this board: its state, its light and its logs.");

        var json = new Option<bool>("--json") { Description = "Print the console's facts as JSON, for scripts" };
        var url = new Option<string>("--console") { Description = "The console's address", DefaultValueFactory = _ => DefaultConsole };
        var status = new Command("status", "What the board's light and console say: health and why, the node, storage, bandwidth") { json, url };
        status.SetAction((result, cancellationToken) =>
            StatusCommand.RunAsync(console, http, new Uri(result.GetValue(url)!), result.GetValue(json), cancellationToken));
        root.Subcommands.Add(status);

        var identify = new Command("identify", "Blink the status light fast for 30 s, to find this board on a shelf");
        identify.SetAction(_ => requests.Touch(console, "identify", "The light blinks fast for 30 s."));
        root.Subcommands.Add(identify);

        var pair = new Command("pair", "Open the console's pairing window for 5 minutes, as a double press of the button does");
        pair.SetAction(_ => requests.Touch(console, "pair", "The pairing window is open for 5 minutes: claim the console from your browser."));
        root.Subcommands.Add(pair);

        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines" };
        var lines = new Option<int>("--lines", "-n") { Description = "How many recent lines to show", DefaultValueFactory = _ => 100 };
        var service = new Option<string>("--service") { Description = "node or status", DefaultValueFactory = _ => "node" };
        service.AcceptOnlyFromAmong("node", "status");
        var logs = new Command("logs", "The node's journal (or the status service's)") { follow, lines, service };
        logs.SetAction((result, cancellationToken) => LogsAsync(result.GetValue(service)!, result.GetValue(lines), result.GetValue(follow), cancellationToken));
        root.Subcommands.Add(logs);

        IdentityCommands.AddTo(root, console);
        UpdateCommands.AddTo(root, console);
        return root;
    }

    private static async Task<int> LogsAsync(string service, int lines, bool follow, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("journalctl") { UseShellExecute = false };
        foreach (var argument in new[] { "--unit", $"session-appliance-{service}.service", "--lines", lines.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-pager" })
        {
            start.ArgumentList.Add(argument);
        }

        if (follow)
        {
            start.ArgumentList.Add("--follow");
        }

        try
        {
            using var journal = Process.Start(start)!;
            await journal.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return journal.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            await Console.Error.WriteLineAsync("journalctl is not available here: the logs live in the board's journal").ConfigureAwait(false);
            return 1;
        }
    }
}
