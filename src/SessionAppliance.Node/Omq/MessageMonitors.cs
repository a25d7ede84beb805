using System.Diagnostics;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Monitor;

namespace SessionAppliance.Node.Omq;

/// <summary>
/// Who is told of new messages (<c>monitor.messages</c>): per account and connection, the namespaces and the data
/// flag. A renewal on the same connection adds namespaces, keeps the data flag once asked for, and restarts the
/// 65 minutes, as the reference does. The table is bounded: when full, the entry closest to expiry makes room.
/// </summary>
public sealed class MessageMonitors(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(65);

    /// <summary>About 150 bytes each, so at most ~8 MB however many accounts callers sign for.</summary>
    public const int MaxEntries = 50_000;

    private readonly Dictionary<AccountId, List<Watcher>> _byAccount = [];
    private readonly Lock _lock = new();
    private int _count;

    /// <summary>No subscription at all: every store asks, so this is read without the lock.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Add(MonitorSubscription subscription, OmqConnection connection)
    {
        var expiry = time.GetUtcNow() + Lifetime;
        lock (_lock)
        {
            if (_byAccount.TryGetValue(subscription.Account, out var watchers)
                && watchers.Find(w => w.Connection.Equals(connection)) is { } existing)
            {
                existing.Namespaces = [.. existing.Namespaces.Union(subscription.Namespaces).Order()];
                existing.WantData |= subscription.WantData;
                existing.Expiry = expiry;
                return;
            }

            if (_count >= MaxEntries)
            {
                MakeRoomUnsynchronized();
            }

            if (!_byAccount.TryGetValue(subscription.Account, out watchers))
            {
                watchers = [];
                _byAccount[subscription.Account] = watchers;
            }

            watchers.Add(new Watcher(connection, subscription.Namespaces, subscription.WantData, expiry));
            _count++;
        }
    }

    /// <summary>The live connections watching this account and namespace: those without and those with data.</summary>
    public (List<OmqConnection> Plain, List<OmqConnection> WithData) WatchersOf(AccountId account, short ns)
    {
        var now = time.GetUtcNow();
        List<OmqConnection> plain = [], withData = [];
        lock (_lock)
        {
            if (!_byAccount.TryGetValue(account, out var watchers))
            {
                return (plain, withData);
            }

            _count -= watchers.RemoveAll(w => w.Expiry < now);
            foreach (var watcher in watchers.Where(w => Array.BinarySearch(w.Namespaces, ns) >= 0))
            {
                (watcher.WantData ? withData : plain).Add(watcher.Connection);
            }

            if (watchers.Count == 0)
            {
                _byAccount.Remove(account);
            }
        }

        return (plain, withData);
    }

    /// <summary>Drops every expired entry, or if none has expired, the one that will expire first.</summary>
    private void MakeRoomUnsynchronized()
    {
        var now = time.GetUtcNow();
        var removed = 0;
        (AccountId Account, Watcher Watcher)? soonest = null;
        foreach (var (account, watchers) in _byAccount)
        {
            removed += watchers.RemoveAll(w => w.Expiry < now);
            foreach (var watcher in watchers.Where(w => soonest is null || w.Expiry < soonest.Value.Watcher.Expiry))
            {
                soonest = (account, watcher);
            }
        }

        if (removed == 0 && soonest is { } victim)
        {
            _byAccount[victim.Account].Remove(victim.Watcher);
            removed = 1;
        }

        foreach (var empty in _byAccount.Where(e => e.Value.Count == 0).Select(e => e.Key).ToList())
        {
            _byAccount.Remove(empty);
        }

        _count -= removed;
        Debug.Assert(_count == _byAccount.Values.Sum(w => w.Count), "the count follows the table");
    }

    private sealed class Watcher(OmqConnection connection, short[] namespaces, bool wantData, DateTimeOffset expiry)
    {
        public OmqConnection Connection { get; } = connection;

        public short[] Namespaces { get; set; } = namespaces;

        public bool WantData { get; set; } = wantData;

        public DateTimeOffset Expiry { get; set; } = expiry;
    }
}
