using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>The index rebuilt by one scan of the packs, when no snapshot from a clean stop matches the store.</summary>
internal static class IndexScan
{
    /// <summary>Packs read per query at start (a pack is about one 8 KB page): about 2 MB held at a time.</summary>
    private const int LoadBatchPacks = 256;

    /// <summary>Share of the runtime's memory limit the scan lets the heap commit before it has the GC give memory back.</summary>
    private const double CommittedShareBeforeCollect = 0.75;

    /// <summary>Rebuilds the index by one scan of the packs, which leaves the newest in the read cache; returns the newest pack's id.</summary>
    public static long Run(ILiteCollection<BsonDocument> packs, PackCache cache, MessageIndex index, IProgress<double>? loading)
    {
        var total = Math.Max(1, packs.LongCount());
        long seen = 0;
        long lastPackId = 0;
        // In id order, a few packs per query: a query is a LiteDB read transaction, which holds every page it has
        // read until it ends, and LiteDB keeps the memory its page cache once grew to. One query over the whole
        // file needed a heap as large as the store: a node with more messages than memory died before it was ready.
        for (var after = long.MinValue; ; after = lastPackId)
        {
            var batch = packs.Find(Query.GT("_id", after), 0, LoadBatchPacks).ToList();
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var document in batch)
            {
                var packId = Pack.IdOf(document);
                System.Diagnostics.Debug.Assert(packId > after, "packs come in ascending id order");
                lastPackId = packId;
                cache.Fill(packId, Pack.BlobOf(document), cache.Commits);
                foreach (var entry in Pack.ReadIndexEntries(document))
                {
                    index.Add(entry.Hash, entry.Owner, entry.Namespace, entry.Row, entry.ExpiryMs, StorageCapacity.CostOf(entry.DataLength));
                }

                if (++seen % 2_000 == 0)
                {
                    loading?.Report((double)seen / total);
                }
            }

            index.Commit(); // nothing to undo: without this, the undo log would hold a closure per message to the end
            CollectIfNearLimit();
        }

        index.Commit();
        // The scan's garbage (every pack's document and blob) is gone now; give its memory back to the system
        // once, before the node reports ready, rather than carry the grown heap for the rest of its life.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        loading?.Report(1);
        return lastPackId;
    }

    /// <summary>
    /// The scan is the node's one burst of garbage (every pack read, decoded and dropped) while the index's arrays
    /// grow. Under a heap limit the GC keeps the memory it freed committed, so growing a large array could fail "Out of
    /// memory" with half the limit garbage: a store at the message cap of the 512 MB board's 85.5 MiB heap failed to open
    /// under 80 MiB. With a collection that also decommits whenever committed memory nears the limit, it opens under 56
    /// (scripts/bench scan-heap).
    /// </summary>
    private static void CollectIfNearLimit()
    {
        var memory = GC.GetGCMemoryInfo(); // as of the last collection: the scan's garbage makes them frequent
        if (memory.TotalCommittedBytes > memory.TotalAvailableMemoryBytes * CommittedShareBeforeCollect)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
