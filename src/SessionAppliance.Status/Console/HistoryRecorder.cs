using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Console;

/// <summary>
/// Samples the node's totals into the history once per sample interval, while the node answers, and writes
/// the history to the card once per save interval and at shutdown: the console's only regular card write.
/// </summary>
public sealed partial class HistoryRecorder(StatusEngine engine, ConsoleHistory history, IOptions<ConsoleOptions> options, TimeProvider time,
    ILogger<HistoryRecorder> logger) : BackgroundService
{
    public const string FileName = "console-history.bin";
    private long _savedBytes;

    /// <summary>Bytes the history saves have written since start (the console's card writes, exported in /metrics).</summary>
    public long SavedBytes => Interlocked.Read(ref _savedBytes);

    public string FilePath => Path.Combine(options.Value.StateDirectory, FileName);

    public static ConsoleHistory LoadFrom(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            return ConsoleHistory.Load(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new ConsoleHistory();
        }
    }

    /// <summary>Takes one sample now, if the node has answered recently.</summary>
    public bool Sample()
    {
        var view = engine.View();
        if (view.Contact != NodeContact.Answering || view.Report?.Figures is not { } f)
        {
            return false;
        }

        long Requests(string name) => f.Requests.TryGetValue(name, out var n) ? n : 0;
        var b = f.Bandwidth;
        history.Add(
            new HistoryPoint(view.Now.ToUnixTimeSeconds(), f.Messages ?? 0, f.FileBytes ?? 0, b?.IngressBytes ?? 0, b?.EgressBytes ?? 0, b?.CountedBytes ?? 0,
                Requests("store"), Requests("retrieve"), Requests("other_client"), Requests("onion"), Requests("swarm")),
            DateOnly.FromDateTime(time.GetLocalNow().DateTime));
        return true;
    }

    /// <summary>Writes the history whole to a new file and renames it over the old one, so a power cut leaves one or the other.</summary>
    public void Save()
    {
        var path = FilePath;
        try
        {
            Directory.CreateDirectory(options.Value.StateDirectory);
            var temporary = path + ".new";
            long written;
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                written = history.Save(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            Interlocked.Add(ref _savedBytes, written);
            LogSaved(written, path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(path, error.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SampleInterval;
        var saveEvery = Math.Max(1, (int)(options.Value.HistorySaveInterval / interval));
        using var timer = new PeriodicTimer(interval, time);
        var sinceSave = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
                if (++sinceSave >= saveEvery)
                {
                    sinceSave = 0;
                    Save();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Save();
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Console history saved: {Bytes} bytes to {Path}")]
    private partial void LogSaved(long bytes, string path);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Console history could not be saved to {Path}: {Reason}")]
    private partial void LogSaveFailed(string path, string reason);
}
