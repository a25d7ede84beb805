using Microsoft.Extensions.Options;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.Hosting;

namespace SessionAppliance.Status.Console;

/// <summary>
/// What a signed-in page may do. The service itself has no power over the board: restart, reboot and settings
/// are requests left in the request directory for root-run path units, as the button's shutdown already is.
/// </summary>
public sealed class ConsoleActions(StatusEngine engine, ISystemActions system, IOptions<ConsoleOptions> options, IOptions<StatusOptions> status)
{
    /// <summary>Runs one action; returns what the page tells the operator, or null for an unknown action.</summary>
    public async Task<string?> RunAsync(string name, CancellationToken cancellationToken)
    {
        switch (name)
        {
            case "identify":
                engine.Identify(status.Value.IdentifyDuration);
                return $"The light blinks fast for {status.Value.IdentifyDuration.TotalSeconds:0} s.";
            case "restart-node":
                Request("restart-node", "");
                return "The node is restarting; this page shows it starting again.";
            case "reboot":
                Request("reboot", "");
                return "The board is rebooting; this page answers again in about a minute.";
            case "shutdown":
                await system.ShutdownAsync(cancellationToken).ConfigureAwait(false);
                return "The board is shutting down. Unplug it when the light is off.";
            default:
                return null;
        }
    }

    public void RequestSettings(BandwidthChange change) => Request(BandwidthChange.RequestFileName, change.RequestText());

    public void RequestUpdateSettings(UpdateChange change) => Request(UpdateChange.RequestFileName, change.RequestText());

    /// <summary>Writes the request whole and renames it into place, so the path unit never reads half of it.</summary>
    private void Request(string name, string content)
    {
        var directory = options.Value.RequestDirectory;
        var temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.new");
        File.WriteAllText(temporary, content);
        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
    }
}
