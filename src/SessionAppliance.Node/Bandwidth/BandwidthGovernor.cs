using System.Text.Json.Nodes;

namespace SessionAppliance.Node.Bandwidth;

/// <summary>
/// Every byte the node moves passes here: a token bucket per direction at the effective rate (configured rate,
/// a schedule window, and the quota policy, whichever is lowest), quota accounting per period, and admission by
/// traffic class. Sockets call <see cref="ThrottleAsync"/>; request handlers call <see cref="Refusal"/>.
/// </summary>
public sealed class BandwidthGovernor
{
    /// <summary>Under hibernate, this share of the quota is kept for swarm and client storage traffic.</summary>
    public const double HibernateReserve = 0.01;

    // The uplink backlog each class tolerates before it is shed; a refill waits for no backlog at all.
    private static readonly TimeSpan[] MaxWait = [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.5), TimeSpan.Zero];

    private static readonly TimeSpan TurnPoll = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(1);

    private readonly BandwidthPlan _plan;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly double[] _tokens = new double[2];

    // Effective rates as of the last refill: sockets call Reserve on every read and write, so the schedule and
    // quota arithmetic runs once per refill rather than several times per call.
    private readonly double[] _rates = new double[2];
    private readonly long[] _used = new long[2];
    private long _lastRefill;
    private DateTime _periodStart;
    private DateTime _periodEnd;

    public BandwidthGovernor(BandwidthPlan plan, TimeProvider time, BandwidthCounters? saved = null)
    {
        _plan = plan;
        _time = time;
        _lastRefill = time.GetTimestamp();
        (_periodStart, _periodEnd) = plan.PeriodOf(LocalNow());
        if (saved is not null && saved.PeriodStart == _periodStart)
        {
            // After a power cut the last interval was not saved: count it as if it ran at full rate.
            var lost = saved.CleanShutdown ? 0 : (long)plan.SaveInterval.TotalSeconds;
            _used[0] = saved.IngressBytes + lost * (plan.IngressRate ?? 0);
            _used[1] = saved.EgressBytes + lost * (plan.EgressRate ?? 0);
        }

        for (var d = 0; d < 2; d++)
        {
            _rates[d] = EffectiveRate((Direction)d, LocalNow()).Rate;
            _tokens[d] = BurstOf(_rates[d]);
        }
    }

    public bool Limits => _plan.IngressRate is not null || _plan.EgressRate is not null || _plan.Quota is not null || _plan.Schedule.Count > 0;

    /// <summary>Counts <paramref name="bytes"/> and returns how long the caller must wait before moving them.</summary>
    public TimeSpan Reserve(Direction direction, long bytes)
    {
        lock (_lock)
        {
            Refill();
            var d = (int)direction;
            _used[d] += bytes;
            _tokens[d] -= bytes;
            if (_tokens[d] >= 0)
            {
                return TimeSpan.Zero;
            }

            var rate = _rates[d];
            return rate <= 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(-_tokens[d] / rate);
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> may pass; rechecks every second, as rates change with time.</summary>
    public async ValueTask ThrottleAsync(Direction direction, int bytes, CancellationToken cancellationToken)
    {
        if (!Limits)
        {
            // Nothing to pace: only count, for the operator's figures, without taking the lock on every read and write.
            Interlocked.Add(ref _used[(int)direction], bytes);
            return;
        }

        var wait = Reserve(direction, bytes);
        while (wait > TimeSpan.Zero)
        {
            // Timers fire at millisecond granularity; a shorter wait would only spin on the lock.
            var step = wait < MinWait ? MinWait : wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
            await Task.Delay(step, _time, cancellationToken).ConfigureAwait(false);
            wait = Reserve(direction, 0);
        }
    }

    /// <summary>Why a request of this class is refused right now (a 503 reason), or null to serve it.</summary>
    public string? Refusal(TrafficClass traffic)
    {
        lock (_lock)
        {
            Refill();
            var remaining = Remaining();
            if (remaining is <= 0 && traffic != TrafficClass.Swarm)
            {
                return $"bandwidth quota used up until {_periodEnd:yyyy-MM-dd HH:mm}; the operator caps this node's traffic";
            }

            if (_plan.Policy == QuotaPolicy.Hibernate && remaining is { } left && left <= _plan.Quota!.Value * HibernateReserve && traffic >= TrafficClass.Onion)
            {
                return $"bandwidth quota nearly used: relaying paused until {_periodEnd:yyyy-MM-dd HH:mm}";
            }

            var backlog = _tokens[1] < 0 ? -_tokens[1] / Math.Max(_rates[1], 1) : 0;
            return backlog > MaxWait[(int)traffic].TotalSeconds
                ? $"bandwidth limit: {traffic.ToString().ToLowerInvariant()} traffic is shed first while the node's uplink is saturated"
                : null;
        }
    }

    /// <summary>Waits, rechecking every second, until traffic of this class would be served (<see cref="Refusal"/> is null).</summary>
    public async Task WaitForTurnAsync(TrafficClass traffic, CancellationToken cancellationToken)
    {
        while (Refusal(traffic) is not null)
        {
            await Task.Delay(TurnPoll, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public BandwidthCounters Snapshot(bool clean)
    {
        lock (_lock)
        {
            Refill();
            return new BandwidthCounters(_periodStart, _used[0], _used[1], clean);
        }
    }

    /// <summary>Used this period, projected use at its end, effective rates and what limits them.</summary>
    public JsonObject Status()
    {
        lock (_lock)
        {
            Refill();
            var now = LocalNow();
            var counted = Counted();
            var elapsed = Math.Max(1, (now - _periodStart).TotalSeconds);
            var projected = counted / elapsed * (_periodEnd - _periodStart).TotalSeconds;
            var ingress = EffectiveRate(Direction.Ingress, now);
            var egress = EffectiveRate(Direction.Egress, now);
            return new JsonObject
            {
                ["period_start"] = _periodStart.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                ["period_end"] = _periodEnd.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                ["ingress_bytes"] = _used[0],
                ["egress_bytes"] = _used[1],
                ["counted_bytes"] = counted,
                ["quota_bytes"] = _plan.Quota,
                ["projected_bytes"] = Math.Round(projected),
                ["rule"] = _plan.Rule.ToString(),
                ["policy"] = _plan.Policy.ToString(),
                ["ingress_rate"] = double.IsPositiveInfinity(ingress.Rate) ? null : Math.Round(ingress.Rate),
                ["egress_rate"] = double.IsPositiveInfinity(egress.Rate) ? null : Math.Round(egress.Rate),
                ["limited_by"] = egress.Reason,
                ["schedule"] = new JsonArray([.. _plan.Schedule.Select(w => (JsonNode)new JsonObject
                {
                    ["from"] = w.From.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    ["to"] = w.To.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    ["rate"] = w.Rate,
                })]),
            };
        }
    }

    /// <summary>The rate a direction may use now and the reason for it: configured, schedule, pace or hibernate.</summary>
    public (double Rate, string Reason) EffectiveRate(Direction direction) => EffectiveRate(direction, LocalNow());

    // The local time is read once per refill and passed down: converting to local time is the costly part.
    private (double Rate, string Reason) EffectiveRate(Direction direction, DateTime now)
    {
        var rate = (double?)(direction == Direction.Ingress ? _plan.IngressRate : _plan.EgressRate) ?? double.PositiveInfinity;
        var reason = double.IsPositiveInfinity(rate) ? "nothing" : "configured rate";
        var time = TimeOnly.FromDateTime(now);
        foreach (var (from, to, windowRate) in _plan.Schedule)
        {
            var inside = from <= to ? time >= from && time < to : time >= from || time < to;
            if (inside && windowRate < rate)
            {
                (rate, reason) = (windowRate, $"schedule {from:HH\\:mm}–{to:HH\\:mm}");
            }
        }

        if (QuotaRate(direction, now) is { } quota && quota.Rate < rate)
        {
            (rate, reason) = quota;
        }

        return (rate, reason);
    }

    private (double Rate, string Reason)? QuotaRate(Direction direction, DateTime now)
    {
        if (Remaining() is not { } remaining || (_plan.Rule == QuotaRule.OutOnly && direction == Direction.Ingress))
        {
            return null;
        }

        // Each direction may use all that is left over the time left: if both do, what is left shrinks twice as
        // fast and so does the rate, so the total still converges on the quota without stranding it on a quiet side.
        var secondsLeft = Math.Max(1, (_periodEnd - now).TotalSeconds);
        if (_plan.Policy == QuotaPolicy.Hibernate)
        {
            return remaining > _plan.Quota!.Value * HibernateReserve
                ? null
                : (Math.Max(0, remaining) / secondsLeft, "hibernate: quota nearly used, storage traffic only");
        }

        return (Math.Max(0, remaining) / secondsLeft, "pace: what is left of the quota spread over the rest of the period");
    }

    private long? Remaining() => _plan.Quota is { } quota ? quota - Counted() : null;

    private long Counted() => _plan.Rule switch
    {
        QuotaRule.OutOnly => _used[1],
        QuotaRule.MaxOfBoth => Math.Max(_used[0], _used[1]),
        _ => _used[0] + _used[1],
    };

    private double BurstOf(double rate)
    {
        var burst = _plan.Burst ?? (double.IsPositiveInfinity(rate) ? double.PositiveInfinity : Math.Max(rate, 16_384));
        return Math.Min(burst, double.IsPositiveInfinity(rate) ? double.PositiveInfinity : Math.Max(rate, 16_384) * 8);
    }

    private void Refill()
    {
        var now = LocalNow();
        if (now >= _periodEnd)
        {
            (_periodStart, _periodEnd) = _plan.PeriodOf(now);
            _used[0] = _used[1] = 0;
        }

        // Raw timestamps, not GetElapsedTime: a TimeSpan drops everything under 100 ns, and sockets refill
        // often enough that the dropped slivers added up to a tenth of the rate (half of it for small writes).
        var timestamp = _time.GetTimestamp();
        var elapsed = (timestamp - _lastRefill) / (double)_time.TimestampFrequency;
        _lastRefill = timestamp;
        for (var d = 0; d < 2; d++)
        {
            var rate = _rates[d] = EffectiveRate((Direction)d, now).Rate;
            _tokens[d] = Math.Min(BurstOf(rate), _tokens[d] + (double.IsPositiveInfinity(rate) ? double.PositiveInfinity : rate * elapsed));
        }
    }

    private DateTime LocalNow() => _time.GetLocalNow().DateTime;
}
