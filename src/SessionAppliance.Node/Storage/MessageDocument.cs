using LiteDB;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>How a message is laid out in LiteDB. Short field names keep every page smaller on the card.</summary>
internal static class MessageDocument
{
    public const string Collection = "messages";
    public const string Key = "k";
    public const string Hash = "_id";
    public const string Timestamp = "t";
    public const string Expiry = "e";
    public const string Data = "d";

    public static BsonDocument From(StoredMessage message, long rowId) => new()
    {
        [Hash] = message.Hash,
        [Key] = MessageKey.Of(message.Owner, message.Namespace, rowId),
        [Timestamp] = message.TimestampMs,
        [Expiry] = message.ExpiryMs,
        [Data] = message.Data,
    };

    public static StoredMessage ToMessage(BsonDocument document)
    {
        var key = document[Key].AsBinary;
        return new StoredMessage(
            MessageKey.OwnerOf(key),
            MessageKey.NamespaceOf(key),
            document[Hash].AsString,
            document[Timestamp].AsInt64,
            document[Expiry].AsInt64,
            document[Data].AsBinary);
    }

    public static bool BelongsTo(BsonDocument document, AccountId owner) =>
        document[Key].AsBinary.AsSpan(0, MessageKey.OwnerLength).SequenceEqual(owner.Bytes);

    public static NamespacedHash NamespacedHashOf(BsonDocument document) =>
        new(MessageKey.NamespaceOf(document[Key].AsBinary), document[Hash].AsString);
}
