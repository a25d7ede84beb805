using System.Diagnostics;
using LiteDB;
using SessionAppliance.Node.Storage;

namespace SessionAppliance.Bench;

/// <summary>
/// What one pack read costs in LiteDB alone, below our read cache: the store's file opened on its own, 20 random
/// packs read by the store's own query (<see cref="Pack.FindMany"/>) on one thread. Every pack a catch-up retrieve misses in the
/// read cache costs this.
/// </summary>
internal static class LiteDbReadFloor
{
    private const int PacksPerQuery = 20;

    public static (double MicrosecondsPerPack, double AllocatedBytesPerPack) Measure(string path, TimeSpan duration)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct, ReadOnly = true });
        var packs = database.GetCollection(Pack.Collection);
        var ids = packs.Query().Select(BsonExpression.Create("_id")).ToEnumerable().Select(Pack.IdOf).ToArray();
        var random = new Random(17);
        long read = 0;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            read += Pack.FindMany(packs, Enumerable.Range(0, PacksPerQuery).Select(_ => ids[random.Next(ids.Length)])).Count();
        }

        return (watch.Elapsed.TotalMicroseconds / read, (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)read);
    }
}
