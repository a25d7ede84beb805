namespace SessionAppliance.OxenMq;

/// <summary>The refusals oxen-mq sends before a handler runs (spec §2), in the order they are checked.</summary>
public static class OmqErrors
{
    public const string UnknownCommand = "UNKNOWNCOMMAND";
    public const string Forbidden = "FORBIDDEN";
    public const string NotAServiceNode = "NOT_A_SERVICE_NODE";
    public const string ForbiddenServiceNode = "FORBIDDEN_SN";
    public const string NoReplyTag = "NO_REPLY_TAG";

    /// <summary>What a request that got no answer in time fails with (oxen-mq's own word).</summary>
    public const string Timeout = "TIMEOUT";

    internal static readonly HashSet<string> All = [UnknownCommand, Forbidden, NotAServiceNode, ForbiddenServiceNode, NoReplyTag];
}
