using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Bencode;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// The reference's <c>sn.data</c> body (spec §5.5): byte 0x01, then a bt list of
/// <c>[33-byte account, hash, timestamp ms, expiry ms, data]</c>. The namespace does not travel (the reference's
/// quirk); the receiver recovers it from the hash among the namespaces Session clients use, since every stored
/// message is checked against its hash when read. Entries whose namespace cannot be recovered are left out.
/// </summary>
public static class ReplicationBatch
{
    public const byte Version = 1;

    /// <summary>Session's namespaces (spec §3.2), tried in this order when a pushed message's namespace is not given.</summary>
    private static readonly short[] KnownNamespaces = [0, 1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 16, 17, -10, -11, -21];

    public static byte[] Encode(IEnumerable<StoredMessage> messages)
    {
        var list = new BtList([.. messages.Select(m => (BtValue)new BtList(
        [
            BtValue.From(m.Owner.Bytes), BtValue.From(m.Hash), BtValue.From(m.TimestampMs), BtValue.From(m.ExpiryMs), BtValue.From(m.Data),
        ]))]);
        return [Version, .. BtWriter.Encode(list)];
    }

    /// <summary>The batch's messages with their namespaces recovered; null when it is not a version-1 batch of well-formed entries.</summary>
    public static List<StoredMessage>? Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 2 || blob[0] != Version || !BtReader.TryParse(blob[1..], out var parsed) || parsed?.AsList() is not { } entries)
        {
            return null;
        }

        var messages = new List<StoredMessage>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.AsList() is not [var owner, var hash, var timestamp, var expiry, var data, ..]
                || owner.AsBytes() is not { Length: 33 } ownerBytes || hash.AsUtf8() is not { } hashText
                || timestamp.AsInteger() is not { } timestampMs || expiry.AsInteger() is not { } expiryMs || data.AsBytes() is not { } payload
                || timestampMs < 0 || timestampMs > long.MaxValue || expiryMs < 0 || expiryMs > long.MaxValue)
            {
                return null;
            }

            var account = AccountId.FromBytes(ownerBytes);
            foreach (var ns in KnownNamespaces)
            {
                if (MessageHash.Compute(account, ns, payload) == hashText)
                {
                    messages.Add(new StoredMessage(account, ns, hashText, (long)timestampMs, (long)expiryMs, payload));
                    break;
                }
            }
        }

        return messages;
    }
}
