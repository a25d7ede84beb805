using System.Collections.Concurrent;
using System.Net;

namespace SessionAppliance.Node.Hosting;

/// <summary>
/// Per-client token buckets as the reference keeps them (spec §3.5): 600 tokens, refilled at 300/s, a new
/// client starts at 599, at most 10,000 clients tracked; when the table is full and no client has a full
/// bucket to forget, a new client is limited. Hand-written rather than System.Threading.RateLimiting
/// because that library can neither cap the number of tracked partitions nor run on an injected clock.
/// </summary>
public sealed class ClientRateLimiter(TimeProvider time)
{
    public const double Capacity = 600;
    public const double RefillPerSecond = 300;
    public const int MaxTrackedClients = 10_000;

    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    public int TrackedClients => _buckets.Count;

    /// <summary>Takes one token for <paramref name="client"/>; false means answer 429.</summary>
    public bool TryAcquire(IPAddress client)
    {
        var now = time.GetTimestamp();
        if (_buckets.TryGetValue(client, out var bucket))
        {
            return bucket.TryTake(now, time);
        }

        if (_buckets.Count >= MaxTrackedClients && !EvictFullBuckets(now))
        {
            return false;
        }

        // A new client starts full and pays for this request at once, leaving 599 as the reference does.
        return _buckets.GetOrAdd(client, _ => new Bucket(Capacity, now)).TryTake(now, time);
    }

    /// <summary>Forgets clients whose bucket has refilled completely: they lose nothing by being forgotten.</summary>
    private bool EvictFullBuckets(long now)
    {
        var evicted = false;
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull(now, time) && _buckets.TryRemove(address, out _))
            {
                evicted = true;
            }
        }

        return evicted;
    }

    private sealed class Bucket(double tokens, long created)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _updated = created;

        public bool TryTake(long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, time);
                if (_tokens < 1)
                {
                    return false;
                }

                _tokens -= 1;
                return true;
            }
        }

        public bool IsFull(long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, time);
                return _tokens >= Capacity;
            }
        }

        private void Refill(long now, TimeProvider time)
        {
            var elapsed = time.GetElapsedTime(_updated, now).TotalSeconds;
            _tokens = Math.Min(Capacity, _tokens + elapsed * RefillPerSecond);
            _updated = now;
        }
    }
}
