using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// Hands out increasing row ids (insertion order, which retrieve follows) and keeps the next one in a meta
/// document, written once per commit inside the same transaction rather than once per message.
/// </summary>
internal sealed class RowCounter
{
    private const string MetaId = "next_row_id";

    private readonly ILiteCollection<BsonDocument> _meta;
    private long _next;
    private long _persisted;

    public RowCounter(LiteDatabase database)
    {
        _meta = database.GetCollection("meta");
        _next = _persisted = _meta.FindById(MetaId)?["v"].AsInt64 ?? 1;
    }

    /// <summary>Only the writer thread calls this.</summary>
    public long Next() => _next++;

    public void Persist(LiteDatabase database)
    {
        if (_next == _persisted)
        {
            return;
        }

        _meta.Upsert(new BsonDocument { ["_id"] = MetaId, ["v"] = _next });
        _persisted = _next;
    }
}
