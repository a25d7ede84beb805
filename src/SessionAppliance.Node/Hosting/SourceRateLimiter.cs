using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace SessionAppliance.Node.Hosting;

/// <summary>
/// Token buckets per source address with the reference's integer arithmetic (its rpc/rate_limiter.cpp): whole
/// tokens, one per <c>1,000,000 / rate</c> µs (3,333 µs at 300/s) with the remainder dropped at each token taken,
/// elapsed time clamped to what fills an empty bucket, a new source starting one short of full, and at most
/// <see cref="MaxTrackedSources"/> sources, forgetting those whose bucket has refilled when the table is full.
/// Hand-written rather than System.Threading.RateLimiting, which can neither cap the number of partitions nor
/// run on an injected clock.
/// </summary>
public abstract class SourceRateLimiter(TimeProvider time, int bucketSize, int tokensPerSecond)
{
    public const int MaxTrackedSources = 10_000;

    private readonly long _tokenPeriodMicroseconds = 1_000_000 / tokensPerSecond;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    public int BucketSize => bucketSize;

    public int TrackedSources => _buckets.Count;

    /// <summary>Takes one token for <paramref name="source"/>; false means refuse the request.</summary>
    public bool TryAcquire(IPAddress source)
    {
        if (_buckets.TryGetValue(source, out var bucket))
        {
            return bucket.TryTake(this);
        }

        if (_buckets.Count >= MaxTrackedSources && !ForgetRefilledUnsynchronized(time.GetTimestamp()))
        {
            return false;
        }

        // The reference admits a new source's first request free and leaves it bucketSize - 1 tokens.
        var added = new Bucket(bucketSize - 1, time.GetTimestamp());
        var current = _buckets.GetOrAdd(source, added);
        return ReferenceEquals(current, added) || current.TryTake(this);
    }

    /// <summary>
    /// Forgets sources whose bucket would be full now: they lose nothing by being forgotten. Racing callers may
    /// each sweep; a sweep only removes, so the worst case is repeated work, not a wrong answer.
    /// </summary>
    private bool ForgetRefilledUnsynchronized(long now)
    {
        var forgot = false;
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.WouldBeFull(now, this) && _buckets.TryRemove(address, out _))
            {
                forgot = true;
            }
        }

        return forgot;
    }

    /// <summary>Whole tokens earned since <paramref name="since"/>, elapsed time clamped to an empty bucket's fill.</summary>
    private long TokensEarned(long since, long now)
    {
        var elapsedMicroseconds = Math.Max(0, time.GetElapsedTime(since, now).Ticks / TimeSpan.TicksPerMicrosecond);
        return Math.Min(elapsedMicroseconds, _tokenPeriodMicroseconds * bucketSize) / _tokenPeriodMicroseconds;
    }

    private long Now => time.GetTimestamp();

    private sealed class Bucket(long tokens, long lastTaken)
    {
        private readonly Lock _lock = new();
        private long _tokens = tokens;
        private long _lastTaken = lastTaken;

        public bool TryTake(SourceRateLimiter limiter)
        {
            lock (_lock)
            {
                // Read under the lock, so a take stamped later by another thread never makes this one's time run back.
                var now = limiter.Now;
                _tokens = Math.Min(limiter.BucketSize, _tokens + limiter.TokensEarned(_lastTaken, now));
                if (_tokens <= 0)
                {
                    // As in the reference, a refusal keeps the old time, so the partial period is not lost.
                    return false;
                }

                _tokens--;
                _lastTaken = now;
                Debug.Assert(_tokens >= 0 && _tokens < limiter.BucketSize, "a bucket holds 0 to size - 1 tokens after a take");
                return true;
            }
        }

        public bool WouldBeFull(long now, SourceRateLimiter limiter)
        {
            lock (_lock)
            {
                return _tokens + limiter.TokensEarned(_lastTaken, now) >= limiter.BucketSize;
            }
        }
    }
}
