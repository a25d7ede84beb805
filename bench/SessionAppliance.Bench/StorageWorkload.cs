using System.Security.Cryptography;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Bench;

/// <summary>
/// 1 KB messages spread round-robin over accounts. Each message expires one millisecond after the one before
/// it, so "expire the oldest n" is a single sweep time.
/// </summary>
internal sealed class StorageWorkload(int accountCount)
{
    private const long ExpiryBase = 1_900_000_000_000;

    private readonly AccountId[] _accounts = [.. Enumerable.Range(0, accountCount).Select(_ => AccountId.FromBytes([0x05, .. RandomNumberGenerator.GetBytes(32)]))];
    private readonly List<string>[] _hashes = [.. Enumerable.Range(0, accountCount).Select(_ => new List<string>())];
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(1024);
    private long _sequence;
    private long _expiredThrough;

    public StoredMessage Next()
    {
        var sequence = Interlocked.Increment(ref _sequence) - 1;
        var account = (int)(sequence % _accounts.Length);
        // Each message's own data and its true hash: the store checks every message it reads against its hash and
        // drops one that does not match as damaged (a random hash made every retrieve here come back empty).
        var data = (byte[])_data.Clone();
        BitConverter.TryWriteBytes(data, sequence);
        var hash = MessageHash.Compute(_accounts[account], 0, data);
        if (sequence < 200_000)
        {
            lock (_hashes[account])
            {
                _hashes[account].Add(hash);
            }
        }

        return new StoredMessage(_accounts[account], 0, hash, ExpiryBase - 1_000_000 + sequence, ExpiryBase + sequence, data);
    }

    public List<StoredMessage> Next(int count) => [.. Enumerable.Range(0, count).Select(_ => Next())];

    /// <summary>Stores <paramref name="count"/> messages, 20,000 at a time, printing progress on stderr.</summary>
    public async Task FillAsync(LiteDbMessageStore store, int count)
    {
        const int Chunk = 20_000;
        for (var done = 0; done < count; done += Chunk)
        {
            await Parallel.ForEachAsync(Next(Math.Min(Chunk, count - done)), new ParallelOptions { MaxDegreeOfParallelism = 512 },
                async (message, _) => await store.StoreAsync(message, false, CancellationToken.None));
            Console.Error.Write($"\r  stored {Math.Min(done + Chunk, count):N0} / {count:N0}");
        }

        Console.Error.WriteLine();
    }

    /// <summary>An account and one of its early hashes, so at least 20 messages follow it: a client catching up.</summary>
    public (AccountId Owner, string LastHash) RetrieveTarget()
    {
        var account = Random.Shared.Next(_accounts.Length);
        var hashes = _hashes[account];
        return (_accounts[account], hashes[Random.Shared.Next(Math.Max(1, hashes.Count - 21))]);
    }

    /// <summary>An account and its 21st newest hash, so its newest 20 follow: a client polling for what is new.</summary>
    public (AccountId Owner, string LastHash) NewestTarget()
    {
        var account = Random.Shared.Next(_accounts.Length);
        var hashes = _hashes[account];
        return (_accounts[account], hashes[Math.Max(0, hashes.Count - 21)]);
    }

    /// <summary>The sweep time that expires the next <paramref name="count"/> oldest messages.</summary>
    public long ExpiryOfOldest(long count)
    {
        _expiredThrough += Math.Max(0, count);
        return ExpiryBase + _expiredThrough - 1;
    }
}
