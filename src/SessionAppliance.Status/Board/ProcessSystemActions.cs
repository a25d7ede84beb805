using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SessionAppliance.Status.Board;

/// <summary>Runs the configured commands for shutdown and factory reset (systemctl poweroff and the image's reset script).</summary>
public sealed partial class ProcessSystemActions(string shutdownCommand, string factoryResetCommand, ILogger<ProcessSystemActions> logger) : ISystemActions
{
    public Task ShutdownAsync(CancellationToken cancellationToken) => RunAsync(shutdownCommand, cancellationToken);

    public Task FactoryResetAsync(CancellationToken cancellationToken) => RunAsync(factoryResetCommand, cancellationToken);

    private async Task RunAsync(string command, CancellationToken cancellationToken)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(parts[0]) { UseShellExecute = false };
        foreach (var argument in parts.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("process did not start");
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                LogFailed(command, $"exit code {process.ExitCode}");
            }
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            LogFailed(command, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "'{Command}' failed: {Reason}")]
    private partial void LogFailed(string command, string reason);
}
