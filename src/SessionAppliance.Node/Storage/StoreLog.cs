namespace SessionAppliance.Node.Storage;

/// <summary>The message store's log lines about its index and journal: how the start found them and what the stop left.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Message index read from the clean stop's snapshot: {Messages} messages in {Milliseconds:F0} ms")]
    public static partial void IndexFromSnapshot(ILogger logger, long messages, double milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Message index rebuilt by scanning the store: {Messages} messages in {Milliseconds:F0} ms ({Reason})")]
    public static partial void IndexScanned(ILogger logger, long messages, double milliseconds, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Message index saved for a quick next start: {Messages} messages, {Bytes} bytes")]
    public static partial void IndexSaved(ILogger logger, long messages, long bytes);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Message index not saved ({Reason}); the next start scans the store")]
    public static partial void IndexNotSaved(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Journal replayed into the store after an unclean stop: {Records} commits in {Milliseconds:F0} ms")]
    public static partial void JournalReplayed(ILogger logger, int records, double milliseconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Journal not written into the store at the stop ({Reason}); it replays at the next start")]
    public static partial void JournalNotCheckpointed(ILogger logger, string reason);
}
