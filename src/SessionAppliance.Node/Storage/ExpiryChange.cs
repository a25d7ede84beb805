namespace SessionAppliance.Node.Storage;

/// <summary>How an expire request may move a message's expiry (spec §3.4 expire).</summary>
public enum ExpiryChangeMode
{
    /// <summary>Set the new expiry whether it is earlier or later.</summary>
    Any,

    /// <summary>Only make it earlier.</summary>
    ShortenOnly,

    /// <summary>Only make it later.</summary>
    ExtendOnly,
}

/// <summary>Result of an expiry update: hashes updated (with their new expiry) and, when a mode limited it, the rest.</summary>
public sealed record ExpiryUpdate(IReadOnlyDictionary<string, long> Updated, IReadOnlyDictionary<string, long> Unchanged);
