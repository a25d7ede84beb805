using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// "session-appliance update [FILE|URL]": installs a signed bundle into the root slot that is not running and
/// reboots into it; session-appliance-update.timer runs "update --automatic".
/// </summary>
internal static class UpdateCommands
{
    private const string ReleaseFile = "/etc/session-appliance-release";

    public static void AddTo(RootCommand root, IAnsiConsole console)
    {
        var source = new Argument<string?>("source")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "A bundle file (.raucb), a bundle URL, or an update manifest URL (.json); without it, the update_url of session-appliance.txt",
        };
        var automatic = new Option<bool>("--automatic") { Description = "As the update timer runs it: a bundle on the boot partition first, else check update_url when due and install only inside update_window" };
        var noReboot = new Option<bool>("--no-reboot") { Description = "Install, but boot into it only at the next restart" };
        var update = new Command("update", "Install an update into the other root slot and reboot into it; it is kept only once the board is healthy") { source, automatic, noReboot };
        update.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                var settings = UpdateSettings.FromEnvironment(SettingsVariable);
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
                var agent = new UpdateAgent(console, http, ImageBoard(), new UpdateState(Environment.GetEnvironmentVariable("SESSION_APPLIANCE_UPDATE_STATE") ?? "/data/update"),
                    new RaucInstaller(), new OpensslSignatureChecker().VerifyAsync, TimeProvider.System);
                return result.GetValue(automatic)
                    ? await agent.AutomaticAsync(settings, cancellationToken).ConfigureAwait(false)
                    : await agent.ManualAsync(result.GetValue(source), settings, !result.GetValue(noReboot), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is InvalidDataException or InvalidOperationException or UnauthorizedAccessException or IOException)
            {
                console.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
                return 1;
            }
        });
        root.Subcommands.Add(update);
    }

    /// <summary>
    /// A setting from the environment (the timer's unit loads update.env), else from the settings import's
    /// update.env itself, so "sudo session-appliance update" in a shell follows the operator's file too.
    /// </summary>
    private static string? SettingsVariable(string name)
    {
        if (Environment.GetEnvironmentVariable(name) is { } value)
        {
            return value;
        }

        const string EnvironmentFile = "/run/session-appliance/update.env";
        return File.Exists(EnvironmentFile)
            ? File.ReadLines(EnvironmentFile).FirstOrDefault(line => line.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..]
            : null;
    }

    private static UpdateAgent.Board ImageBoard()
    {
        var version = File.Exists(ReleaseFile)
            ? File.ReadLines(ReleaseFile).FirstOrDefault(line => line.StartsWith("VERSION=", StringComparison.Ordinal))?["VERSION=".Length..] ?? "unknown"
            : "unknown";
        var uptime = File.Exists("/proc/uptime")
            ? double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture)
            : Environment.TickCount64 / 1000.0;
        var healthPort = Environment.GetEnvironmentVariable("SESSION_APPLIANCE_Node__HealthPort") ?? "22080";
        return new UpdateAgent.Board(version, "/run/session-appliance", "/boot/firmware", new Uri($"http://127.0.0.1:{healthPort}/health"),
            DateTimeOffset.UtcNow - TimeSpan.FromSeconds(uptime), TimeZoneInfo.Local, RebootAsync);
    }

    private static async Task RebootAsync()
    {
        using var systemctl = Process.Start("systemctl", "reboot");
        await systemctl.WaitForExitAsync().ConfigureAwait(false);
    }
}
