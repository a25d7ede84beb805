using System.Buffers.Binary;
using LiteDB;
using LiteDB.Engine;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Bench;

/// <summary>
/// The baseline: LiteDB used the obvious way. One auto-committed insert per message, the hash as document id,
/// indexes on (owner, namespace, row) and expiry, LiteDB's own flushing (through counting streams).
/// Bulk phases (preload, churn) use one transaction per batch so the baseline finishes in minutes.
/// </summary>
internal sealed class NaiveStore : IBenchStore
{
    private readonly DiskWriteMeter _meter = new();
    private readonly string _path;
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _messages;
    private long _row;

    public NaiveStore(string path)
    {
        _path = path;
        var data = new MeteredFileStream(MeteredFileStream.OpenExclusive(path), _meter, syncOnFlush: true);
        var log = new MeteredFileStream(MeteredFileStream.OpenExclusive(StoreFile.LogPathOf(path)), _meter, syncOnFlush: true);
        _database = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = data, LogStream = log }), new BsonMapper());
        _messages = _database.GetCollection("messages");
        _messages.EnsureIndex("k", unique: true);
        _messages.EnsureIndex("e");
    }

    public string Name => "naive LiteDB (insert per transaction)";

    public int StoreConcurrency => 8;

    public long Syncs => _meter.Syncs;

    public long FileBytes => new FileInfo(_path).Length + new FileInfo(StoreFile.LogPathOf(_path)).Length;

    public long Count => _messages.LongCount();

    public ReadCacheFigures? ReadCache => null;

    public Task PreloadAsync(List<StoredMessage> messages) => ChurnAsync(messages);

    public Task<bool> StoreAsync(StoredMessage message) => Task.Run(() =>
    {
        _messages.Insert(Document(message));
        return true;
    });

    public int RetrieveTwenty((AccountId Owner, string LastHash) target)
    {
        var last = _messages.FindById(target.LastHash);
        var from = Key(target.Owner, BinaryPrimitives.ReadInt64BigEndian(last["k"].AsBinary.AsSpan(35)) + 1);
        var to = Key(target.Owner, long.MaxValue);
        return _messages.Find(Query.Between("k", from, to), 0, 20).Count();
    }

    public Task ChurnAsync(List<StoredMessage> messages)
    {
        foreach (var chunk in messages.Chunk(10_000))
        {
            _messages.InsertBulk(chunk.Select(Document));
        }

        return Task.CompletedTask;
    }

    public Task DeleteExpiredAsync(long nowMs)
    {
        _messages.DeleteMany(Query.LTE("e", nowMs));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }

    private BsonDocument Document(StoredMessage message) => new()
    {
        ["_id"] = message.Hash,
        ["k"] = Key(message.Owner, Interlocked.Increment(ref _row)),
        ["t"] = message.TimestampMs,
        ["e"] = message.ExpiryMs,
        ["d"] = message.Data,
    };

    private static byte[] Key(AccountId owner, long row)
    {
        var key = new byte[43];
        owner.Bytes.CopyTo(key);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(35), row);
        return key;
    }
}
