using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>One message as the node keeps it. Times are unix milliseconds.</summary>
public sealed record StoredMessage(AccountId Owner, short Namespace, string Hash, long TimestampMs, long ExpiryMs, byte[] Data);
