using SessionAppliance.Node.Storage;

namespace SessionAppliance.Node.Tests.Storage;

/// <summary>The journal file: records in order, a torn tail, a new generation, a damaged header.</summary>
public sealed class StoreJournalTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("sa-journal-").FullName, "messages.db.journal");
    private readonly DiskWriteMeter _meter = new();

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    private StoreJournal Open()
    {
        var journal = StoreJournal.Open(_path, 64 * 1024, _meter);
        journal.ReadRecords();
        return journal;
    }

    private static byte[] Payload(byte fill, int length) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public void A_new_journal_is_zeros_of_its_size_and_its_records_read_back_in_order()
    {
        using (var journal = Open())
        {
            Assert.Equal(64 * 1024, new FileInfo(_path).Length);
            Assert.True(journal.IsEmpty);
            journal.Append(Payload(1, 100));
            journal.Append(Payload(2, 5000));
            journal.Append(Payload(3, 1));
        }

        using var reopened = StoreJournal.Open(_path, 64 * 1024, _meter);
        var records = reopened.ReadRecords();

        Assert.Equal([Payload(1, 100), Payload(2, 5000), Payload(3, 1)], records);
        Assert.False(reopened.IsEmpty);
    }

    [Fact]
    public void A_torn_last_record_ends_the_journal_and_the_next_append_takes_its_place()
    {
        using (var journal = Open())
        {
            journal.Append(Payload(1, 100));
            journal.Append(Payload(2, 100));
        }

        // The second record's payload half written: its checksum no longer matches.
        using (var file = File.OpenWrite(_path))
        {
            // Each record starts on a page of its own: the second is the header's page plus one.
            file.Position = StoreJournal.HeaderBytes + StoreJournal.PageBytes + StoreJournal.RecordHeaderBytes + 60;
            file.Write(new byte[40]);
        }

        using (var reopened = StoreJournal.Open(_path, 64 * 1024, _meter))
        {
            Assert.Equal([Payload(1, 100)], reopened.ReadRecords());
            reopened.Append(Payload(4, 10));
        }

        using var last = StoreJournal.Open(_path, 64 * 1024, _meter);
        Assert.Equal([Payload(1, 100), Payload(4, 10)], last.ReadRecords());
    }

    [Fact]
    public void After_a_reset_the_old_records_no_longer_count_even_where_nothing_overwrote_them()
    {
        using (var journal = Open())
        {
            journal.Append(Payload(1, 100));
            journal.Append(Payload(2, 100));
            journal.Reset();
            Assert.True(journal.IsEmpty);
            journal.Append(Payload(3, 20));
        }

        using var reopened = StoreJournal.Open(_path, 64 * 1024, _meter);
        Assert.Equal([Payload(3, 20)], reopened.ReadRecords());
    }

    [Fact]
    public void A_record_that_does_not_fit_is_refused_before_anything_is_written()
    {
        using var journal = Open();
        var room = (64 * 1024) - StoreJournal.HeaderBytes - StoreJournal.RecordHeaderBytes;

        Assert.True(journal.Fits(room));
        Assert.False(journal.Fits(room + 1));
        Assert.Throws<InvalidOperationException>(() => journal.Append(new byte[room + 1]));
        Assert.True(journal.IsEmpty);

        // A one-byte record still takes a page of its own.
        journal.Append([1]);
        Assert.False(journal.Fits(room - StoreJournal.PageBytes + 1));
        Assert.True(journal.Fits(room - StoreJournal.PageBytes));
    }

    [Fact]
    public void A_damaged_header_is_refused_as_damage_not_read_as_empty()
    {
        Open().Dispose();
        using (var file = File.OpenWrite(_path))
        {
            file.Position = 9;
            file.WriteByte(0x5a);
        }

        using var journal = StoreJournal.Open(_path, 64 * 1024, _meter);
        var error = Assert.Throws<InvalidDataException>(() => journal.ReadRecords());

        Assert.Contains("header is damaged", error.Message, StringComparison.Ordinal);
        Assert.True(DamagedStoreException.Indicates(error));
    }
}
