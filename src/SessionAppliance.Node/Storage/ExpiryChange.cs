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

/// <summary>
/// Result of an expiry update: each update made (hash and new expiry) in hash order, a hash repeated once per
/// time a per-message list updated it; and the requested messages of this owner it left alone, with their expiry.
/// </summary>
public sealed record ExpiryUpdate(IReadOnlyList<(string Hash, long Expiry)> Updated, IReadOnlyDictionary<string, long> Unchanged);
