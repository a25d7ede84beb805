using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.NodeHealth;

namespace SessionAppliance.Status.Hosting;

/// <summary>Ticks the engine every 10 ms and refreshes node, board and operator readings once per poll interval.</summary>
public sealed class StatusWorker(StatusEngine engine, NodeHealthClient node, BoardHealthReader board, OperatorRequestReader requests,
    IOptions<StatusOptions> options, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(10);
    private long _lastTick = time.GetTimestamp();

    /// <summary>Whether the engine ran recently: the systemd watchdog's test that the light is still driven.</summary>
    public bool TickedWithin(TimeSpan span) => time.GetElapsedTime(Interlocked.Read(ref _lastTick)) < span;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = PollAsync(stoppingToken);
        using var timer = new PeriodicTimer(TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                engine.Tick();
                Interlocked.Exchange(ref _lastTick, time.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await poll.ConfigureAwait(false);
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            if (await node.TryReadAsync(interval * 2, stoppingToken).ConfigureAwait(false) is { } report)
            {
                engine.NodeAnswered(report);
            }

            engine.BoardRead(board.Read());
            engine.RequestsRead(requests.Read());
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
