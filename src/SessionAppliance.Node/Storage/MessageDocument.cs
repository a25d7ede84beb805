using System.Buffers.Binary;
using LiteDB;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// How a message is laid out in LiteDB: its row id (insertion order) is the document id, so new messages
/// append at the end of the only on-disk index. Owner, namespace and hash share one binary field "k" and the
/// field names are one letter: a document with 1 KB of data then stays under 1,150 bytes, so seven fit in an
/// 8 KB page instead of six.
/// </summary>
internal static class MessageDocument
{
    public const string Collection = "messages";
    public const string Row = "_id";
    public const string Key = "k";
    public const string Timestamp = "t";
    public const string Expiry = "e";
    public const string Data = "d";

    private const int OwnerLength = 33;

    public static BsonDocument From(StoredMessage message, long row) => new()
    {
        [Row] = row,
        [Key] = KeyOf(message.Owner, message.Namespace, message.Hash),
        [Timestamp] = message.TimestampMs,
        [Expiry] = message.ExpiryMs,
        [Data] = message.Data,
    };

    public static StoredMessage ToMessage(BsonDocument document) => new(
        OwnerOf(document),
        NamespaceOf(document),
        HashOf(document),
        document[Timestamp].AsInt64,
        document[Expiry].AsInt64,
        document[Data].AsBinary);

    public static long RowOf(BsonDocument document) => document[Row].AsInt64;

    /// <summary>Hash bytes follow a marker: 0 = the 32 bytes of a canonical base64 hash, 1 = the hash's UTF-8 text.</summary>
    public static string HashOf(BsonDocument document)
    {
        var hash = document[Key].AsBinary.AsSpan(OwnerLength + 2);
        return hash[0] == 0 ? Convert.ToBase64String(hash[1..]).TrimEnd('=') : System.Text.Encoding.UTF8.GetString(hash[1..]);
    }

    public static long ExpiryOf(BsonDocument document) => document[Expiry].AsInt64;

    public static AccountId OwnerOf(BsonDocument document) => AccountId.FromBytes(document[Key].AsBinary.AsSpan(0, OwnerLength));

    public static short NamespaceOf(BsonDocument document) =>
        (short)BinaryPrimitives.ReadUInt16BigEndian(document[Key].AsBinary.AsSpan(OwnerLength));

    public static bool BelongsTo(BsonDocument document, AccountId owner) =>
        document[Key].AsBinary.AsSpan(0, OwnerLength).SequenceEqual(owner.Bytes);

    public static NamespacedHash NamespacedHashOf(BsonDocument document) => new(NamespaceOf(document), HashOf(document));

    private static byte[] KeyOf(AccountId owner, short ns, string hash)
    {
        Span<byte> decoded = stackalloc byte[33];
        var canonical = hash.Length == 43 && Convert.TryFromBase64String(hash + "=", decoded, out var length) && length == 32
            && Convert.ToBase64String(decoded[..32]).AsSpan(0, 43).SequenceEqual(hash);
        var hashBytes = canonical ? decoded[..32].ToArray() : System.Text.Encoding.UTF8.GetBytes(hash);
        var key = new byte[OwnerLength + 2 + 1 + hashBytes.Length];
        owner.Bytes.CopyTo(key);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(OwnerLength), (ushort)ns);
        key[OwnerLength + 2] = canonical ? (byte)0 : (byte)1;
        hashBytes.CopyTo(key.AsSpan(OwnerLength + 3));
        return key;
    }
}
