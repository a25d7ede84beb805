namespace SessionAppliance.Node.Storage;

/// <summary>Logs how far the start-up index scan has got, every 10%, so a long start on a full card is visibly alive.</summary>
public sealed partial class StoreLoadProgress(ILogger logger) : IProgress<double>
{
    private int _lastTenth = -1;

    public void Report(double value)
    {
        var tenth = (int)(value * 10);
        if (tenth > _lastTenth)
        {
            _lastTenth = tenth;
            LogProgress(logger, tenth * 10);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading the message index: {Percent}%")]
    private static partial void LogProgress(ILogger logger, int percent);
}
