using LiteDB;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The journal at open, before anything reads the packs: opened (made, the first time) and replayed into LiteDB.
/// A journal beside a store that did not exist belongs to no store and is dropped; with the journal turned off
/// (0 bytes), one left from before is replayed, then removed; with another size set, the emptied file takes it.
/// </summary>
internal static class JournalStartup
{
    public static StoreJournal? OpenAndReplay(string path, long capacityBytes, bool newStore, StoreFile file,
        ILiteCollection<BsonDocument> packs, DiskWriteMeter meter, ILogger log)
    {
        var journalPath = StoreJournal.PathOf(path);
        if (newStore)
        {
            File.Delete(journalPath);
        }

        if (capacityBytes == 0 && !File.Exists(journalPath))
        {
            return null;
        }

        var journal = StoreJournal.Open(journalPath, Math.Max(capacityBytes, StoreJournal.HeaderBytes), meter);
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var replayed = Replay(journal, packs, file);
            if (replayed > 0)
            {
                // The index snapshot predates what was replayed: the scan rebuilds the index.
                File.Delete(IndexSnapshot.PathOf(path));
                StoreLog.JournalReplayed(log, replayed, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            if (capacityBytes == 0)
            {
                journal.Dispose();
                File.Delete(journalPath);
                return null;
            }

            if (journal.CapacityBytes != capacityBytes)
            {
                journal.Resize(capacityBytes);
            }

            return journal;
        }
        catch
        {
            journal.Dispose();
            throw;
        }
    }

    /// <summary>
    /// At open, before anything reads the packs: what the journal still holds (a crash, or a stop that could not
    /// checkpoint) goes into LiteDB in one transaction, then the journal starts over. Returns the records replayed.
    /// </summary>
    private static int Replay(StoreJournal journal, ILiteCollection<BsonDocument> packs, StoreFile file)
    {
        var records = journal.ReadRecords();
        if (records.Count == 0)
        {
            return 0;
        }

        var changed = new Dictionary<long, Pack?>();
        foreach (var record in records)
        {
            JournalRecord.Apply(record, changed, id => packs.FindById(id) is { } document ? Pack.FromDocument(document) : null);
        }

        file.Database.BeginTrans();
        foreach (var (id, pack) in changed)
        {
            if (pack is { IsEmpty: false })
            {
                packs.Upsert(pack.ToDocument());
            }
            else if (pack is not null)
            {
                packs.Delete(id);
            }
        }

        file.Database.Commit();
        file.MakeCommitsDurable();
        journal.Reset();
        return records.Count;
    }
}
