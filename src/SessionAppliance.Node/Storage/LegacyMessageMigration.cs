using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// Stores written before packs kept one document per message in "messages" ({ _id: row, k: key, t, e, d }).
/// At open they are moved into packs in chunks; each chunk's packs and the deletion of its old documents
/// commit together, so a crash mid-way leaves every message in exactly one place and the next open resumes.
/// </summary>
internal static class LegacyMessageMigration
{
    private const string Collection = "messages";
    private const int ChunkMessages = 2_000;

    /// <summary>Moves every old message into packs; returns how many moved.</summary>
    public static long Run(StoreFile file, ILiteCollection<BsonDocument> packs, PackCache cache, IProgress<double>? progress)
    {
        var database = file.Database;
        if (!database.CollectionExists(Collection))
        {
            return 0;
        }

        var legacy = database.GetCollection(Collection);
        var total = Math.Max(1, legacy.LongCount());
        var lastPackId = packs.LongCount() == 0 ? 0 : packs.Max().AsInt64;
        var writes = new PackWriter(packs, lastPackId, cache, journal: null);
        long moved = 0;
        while (true)
        {
            var chunk = legacy.Find(Query.All(), 0, ChunkMessages).ToList();
            if (chunk.Count == 0)
            {
                break;
            }

            database.BeginTrans();
            foreach (var document in chunk)
            {
                var key = document["k"].AsBinary;
                writes.Add(new StoredMessage(
                    MessageKey.OwnerOf(key), MessageKey.NamespaceOf(key), MessageKey.HashOf(key),
                    document["t"].AsInt64, document["e"].AsInt64, document["d"].AsBinary));
                legacy.Delete(document["_id"]);
            }

            writes.Flush();
            database.Commit();
            file.MakeCommitsDurable();
            writes.Committed();
            moved += chunk.Count;
            progress?.Report(Math.Min(1, (double)moved / total));
        }

        database.DropCollection(Collection);
        return moved;
    }
}
