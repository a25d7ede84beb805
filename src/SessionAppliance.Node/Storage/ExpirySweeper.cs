using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Storage;

/// <summary>Deletes expired messages on a fixed interval (spec §6: every 10 s).</summary>
public sealed partial class ExpirySweeper(IMessageStore store, IOptions<StorageOptions> options, TimeProvider time, ILogger<ExpirySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpirySweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var removed = await store.DeleteExpiredAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                    if (removed > 0)
                    {
                        LogSwept(removed);
                    }
                }
                catch (StoreUnavailableException)
                {
                    // The store has stopped (a full card) and is being reopened; expired messages wait for the next sweep.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired messages")]
    private partial void LogSwept(int count);
}
