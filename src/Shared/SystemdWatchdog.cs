using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace SessionAppliance.Hosting;

/// <summary>
/// systemd's notify protocol for a <c>Type=notify</c> unit with <c>WatchdogSec</c>: <c>WATCHDOG=1</c> every third
/// of the interval, but only while the service can show it is alive, so a hung process stops pinging and
/// systemd restarts it. <c>UseSystemd()</c> never pings, and it sends <c>READY=1</c>/<c>STOPPING=1</c> only
/// when it can see that its parent is systemd, which a sandbox with <c>ProtectProc=invisible</c> hides; here
/// they are sent whenever <c>NOTIFY_SOCKET</c> is set and the package does not. Shared by the node and the status
/// service (linked source, not a project of its own).
/// </summary>
public sealed class SystemdWatchdog(Func<bool> isAlive, IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    private readonly SystemdNotifier _notifier = new();

    /// <summary>The ping interval systemd asked for, or null when it did not ask this process.</summary>
    public static TimeSpan? RequestedInterval()
    {
        if (!long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        // WATCHDOG_PID names the process the watchdog is meant for; a child started by it must not ping.
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        return string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ? TimeSpan.FromMicroseconds(microseconds / 3)
            : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_notifier.IsEnabled)
        {
            return;
        }

        if (!SystemdHelpers.IsSystemdService())
        {
            lifetime.ApplicationStarted.Register(() => _notifier.Notify(ServiceState.Ready));
            lifetime.ApplicationStopping.Register(() => _notifier.Notify(ServiceState.Stopping));
        }

        if (RequestedInterval() is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                if (IsAlive())
                {
                    _notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private bool IsAlive()
    {
        try
        {
            return isAlive();
        }
        catch (Exception)
        {
            // Whatever broke, the service cannot vouch for itself: no ping, and systemd restarts it in time.
            return false;
        }
    }
}
