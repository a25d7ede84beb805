using System.Diagnostics.Metrics;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Console;

/// <summary>
/// Every figure the page shows, as System.Diagnostics.Metrics instruments read at scrape time from the latest
/// reading: a scrape costs some string building and no disk write. OpenTelemetry's Prometheus exporter names
/// them (dots to underscores, the unit as a suffix, _total on counters); docs/console.md lists the result, and a
/// browser test checks that a scrape carries every metric listed there.
/// </summary>
public sealed class ConsoleMetrics : IDisposable
{
    public const string MeterName = "SessionAppliance.Console";
    private readonly Meter _meter = new(MeterName);

    public ConsoleMetrics(StatusEngine engine, HistoryRecorder recorder)
    {
        NodeFigures? Figures() => engine.LatestReport?.Figures;
        BandwidthFigures? Bandwidth() => Figures()?.Bandwidth;

        _meter.CreateObservableGauge("session.appliance.state", () =>
        {
            var current = engine.View().State;
            return Enum.GetValues<ApplianceState>().Select(s => new Measurement<int>(s == current ? 1 : 0, new KeyValuePair<string, object?>("state", StateDisplay.NameOf(s))));
        }, description: "1 for the state the status light shows, 0 for the others");
        _meter.CreateObservableGauge("session.node.up", () => engine.View().Contact == NodeContact.Answering ? 1 : 0, description: "1 while the node answers its health check");
        _meter.CreateObservableGauge("session.node.ready", () => engine.LatestReport is { Ready: true } ? 1 : 0, description: "1 while the node reports ready");
        Gauge("session.node.uptime", "s", "Time since the node process started", () => Figures()?.UptimeSeconds);
        Gauge("session.node.messages", "{message}", "Messages stored", () => Figures()?.Messages);
        Gauge("session.node.store.file.size", "By", "Bytes the message store takes on the card", () => Figures()?.FileBytes);
        Gauge("session.node.storage.used", "By", "Bytes of stored messages counted against the capacity", () => Figures()?.UsedBytes);
        Gauge("session.node.storage.capacity", "By", "The message store's capacity", () => Figures()?.CapacityBytes);
        Gauge("session.node.card.write_rate", "By/d", "Block-layer bytes the node writes to the card per day", () => Figures()?.CardBytesPerDay);
        Gauge("session.node.card.projected_life_years", "", "Years the card lasts at the measured write rate", () => Figures()?.CardLifeYears);
        _meter.CreateObservableCounter("session.node.bandwidth.period", () => Bandwidth() is { } b
            ? [new Measurement<long>(b.IngressBytes, Direction("in")), new Measurement<long>(b.EgressBytes, Direction("out"))]
            : Array.Empty<Measurement<long>>(), "By", "Bytes in and out this bandwidth period (resets when a period begins)");
        Gauge("session.node.bandwidth.counted", "By", "Bytes counted against the quota this period", () => Bandwidth()?.CountedBytes);
        Gauge("session.node.bandwidth.quota", "By", "The period's quota (+Inf: none)", () => Bandwidth() is { } b ? b.QuotaBytes ?? double.PositiveInfinity : null);
        Gauge("session.node.bandwidth.projected", "By", "Where today's pace ends the period", () => Bandwidth()?.ProjectedBytes);
        _meter.CreateObservableGauge("session.node.bandwidth.rate_limit", () => new[] { (Bandwidth()?.IngressRate, "in"), (Bandwidth()?.EgressRate, "out") }
            .Select(r => new Measurement<double>(Bandwidth() is null ? double.NaN : r.Item1 ?? double.PositiveInfinity, Direction(r.Item2))),
            "By/s", "The rate the governor allows now, by direction (+Inf: no limit)");
        _meter.CreateObservableCounter("session.node.requests", () => (Figures()?.Requests ?? new Dictionary<string, long>())
            .Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("class", r.Key))), "{request}", "Requests since the node started, by class");
        Gauge("session.node.swarm.members", "{node}", "Members of this node's swarm", () => Figures()?.SwarmMembers);
        Gauge("session.node.network.nodes", "{node}", "Nodes in the network list", () => Figures()?.NetworkNodes);
        Gauge("session.node.reachable", "", "1 when other nodes reach this one, 0 when they do not (absent: untested)", () => Figures()?.Reachable is { } r ? (r ? 1 : 0) : null);
        Gauge("session.board.cpu.temperature", "Cel", "CPU temperature", () => engine.LatestBoard.CpuCelsius);
        Gauge("session.board.throttled", "", "1 while the firmware throttles the CPU", () => engine.LatestBoard.Throttled is { } t ? (t ? 1 : 0) : null);
        Gauge("session.board.under_voltage", "", "1 while the board reports under-voltage", () => engine.LatestBoard.UnderVoltage is { } u ? (u ? 1 : 0) : null);
        _meter.CreateObservableCounter("session.console.history.written", () => recorder.SavedBytes, "By", "Bytes the console's history saves wrote to the card");
        _meter.CreateObservableGauge("session.console.memory.resident", () => Environment.WorkingSet, "By", "The status and console service's resident memory");
    }

    /// <summary>A figure nobody reported (no sensor, not measured yet, node silent) is NaN: every series is always there.</summary>
    private void Gauge(string name, string unit, string description, Func<double?> read) =>
        _meter.CreateObservableGauge(name, () => read() ?? double.NaN, unit, description);

    private static KeyValuePair<string, object?> Direction(string direction) => new("direction", direction);

    public void Dispose() => _meter.Dispose();
}
