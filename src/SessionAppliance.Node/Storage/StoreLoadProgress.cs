namespace SessionAppliance.Node.Storage;

/// <summary>Logs how far a start-up pass over the store has got, every 10%, so a long start on a full card is visibly alive.</summary>
public sealed partial class StoreLoadProgress(ILogger logger, string activity = "Loading the message index") : IProgress<double>
{
    private int _lastTenth = -1;

    public void Report(double value)
    {
        var tenth = (int)(value * 10);
        if (tenth > _lastTenth)
        {
            _lastTenth = tenth;
            LogProgress(logger, activity, tenth * 10);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Activity}: {Percent}%")]
    private static partial void LogProgress(ILogger logger, string activity, int percent);
}
