using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Clock;

/// <summary>
/// Whether the node's clock can be trusted, and if NTP cannot vouch for it, what the network says. A Pi boots
/// with its last saved time, possibly days old, and a censored network may block NTP: until systemd-timesyncd
/// has synchronised the system clock (its flag file), the node asks listed peers for their signed time every
/// 10 s and, once at least <see cref="MinPeers"/> distinct peers have answered within the last 10 minutes,
/// sets <see cref="NetworkClock"/> to the median of their offsets. Until then it is not ready with the reason
/// "clock not synchronised". One lying peer among n ≥ 3 moves the median no further than the honest offsets
/// spread (their own clock error plus half a round trip); it takes half of them lying together to move it
/// anywhere. Where there is no timesyncd at all (a PC, a container) the system clock is trusted as it is.
/// </summary>
public sealed partial class ClockTrust(NetworkClock clock, INetworkViewSource network, PeerHttpClient http, NodeReadiness readiness,
    NodeOptions options, ILogger<ClockTrust> logger) : BackgroundService
{
    public const int MinPeers = 3;
    public const string NotSynchronised = "clock not synchronised";

    private const string Component = "clock";
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SampleLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxRoundTrip = TimeSpan.FromSeconds(2);
    private const int ProbesPerRound = 3;

    private readonly Dictionary<string, (TimeSpan Offset, DateTimeOffset At)> _samples = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _source = (int)ClockSource.Unknown;

    /// <summary>Whether this node serves requests on its time: the system's is synchronised, or the peers' median set it.</summary>
    public bool Trusted => Source is ClockSource.Ntp or ClockSource.NoTimeSync or ClockSource.Peers;

    /// <summary>
    /// Whether this node tells peers its time: only a clock of its own, never one it took from peers, so a group of
    /// nodes without NTP cannot keep vouching for each other while they drift.
    /// </summary>
    public bool Vouches => Source is ClockSource.Ntp or ClockSource.NoTimeSync;

    public ClockSource Source => (ClockSource)Volatile.Read(ref _source);

    public enum ClockSource
    {
        Unknown,
        Ntp,
        NoTimeSync,
        Peers,
        Untrusted,
    }

    /// <summary>One assessment: the NTP flag first, then the peers' samples; sets the offset and readiness.</summary>
    public ClockSource Assess()
    {
        var directory = options.TimeSyncDirectory;
        if (directory.Length == 0)
        {
            return Settle(ClockSource.NoTimeSync, TimeSpan.Zero);
        }

        // A configured directory that is missing means timesyncd is not running: no evidence the time is right.
        if (Directory.Exists(directory) && File.Exists(Path.Combine(directory, "synchronized")))
        {
            return Settle(ClockSource.Ntp, TimeSpan.Zero);
        }

        if (MedianOffset() is { } median)
        {
            return Settle(ClockSource.Peers, median);
        }

        return Settle(ClockSource.Untrusted, clock.Offset);
    }

    /// <summary>Records one peer's signed time, measured against the uncorrected clock around the round trip.</summary>
    public void AddSample(string peer, DateTimeOffset sent, DateTimeOffset received, long peerTimeMs)
    {
        if (received - sent > MaxRoundTrip || received < sent)
        {
            return;
        }

        var midpoint = sent + (received - sent) / 2;
        lock (_lock)
        {
            _samples[peer] = (DateTimeOffset.FromUnixTimeMilliseconds(peerTimeMs) - midpoint, received);
        }
    }

    /// <summary>One round: assess, and while NTP cannot vouch, ask a few peers for their signed time and assess again.</summary>
    public async Task<ClockSource> RefreshAsync(CancellationToken cancellationToken)
    {
        if (Assess() is ClockSource.Untrusted or ClockSource.Peers)
        {
            await ProbeAsync(cancellationToken).ConfigureAwait(false);
            return Assess();
        }

        return Source;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Round, clock.Uncorrected);
        do
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var view = network.Current;
        var others = view.Nodes.Where(n => !n.Ed25519PublicKey.AsSpan().SequenceEqual(view.Self.Ed25519PublicKey)).ToList();
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(others));
        await Task.WhenAll(others.Take(ProbesPerRound).Select(peer => ProbeAsync(peer, cancellationToken))).ConfigureAwait(false);
    }

    private async Task ProbeAsync(ServiceNode peer, CancellationToken cancellationToken)
    {
        var nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(PeerTime.NonceBytes);
        var headers = new Dictionary<string, string> { [PeerTime.NonceHeader] = HexText.Encode(nonce) };
        var sent = clock.Uncorrected.GetUtcNow();
        var answer = await http.PostAsync(PeerHttpClient.UriOf(peer, "/ping_test/v1"), new ByteArrayContent([]), headers, MaxRoundTrip, cancellationToken).ConfigureAwait(false);
        var received = clock.Uncorrected.GetUtcNow();
        var signed = answer.Headers ?? new Dictionary<string, string>();
        if (PeerTime.Verify(peer.Ed25519PublicKey, nonce, signed.GetValueOrDefault(PeerTime.TimeHeader), signed.GetValueOrDefault(PeerTime.SignatureHeader)) is { } peerTime)
        {
            AddSample(peer.Ed25519Hex, sent, received, peerTime);
        }
    }

    private TimeSpan? MedianOffset()
    {
        var now = clock.Uncorrected.GetUtcNow();
        lock (_lock)
        {
            foreach (var stale in _samples.Where(s => now - s.Value.At > SampleLifetime).Select(s => s.Key).ToList())
            {
                _samples.Remove(stale);
            }

            var offsets = _samples.Values.Select(s => s.Offset).Order().ToList();
            return offsets.Count >= MinPeers ? offsets[(offsets.Count - 1) / 2] : null;
        }
    }

    private ClockSource Settle(ClockSource source, TimeSpan offset)
    {
        clock.SetOffset(offset);
        if (source == ClockSource.Untrusted)
        {
            readiness.NotReady(Component, NotSynchronised + ": NTP has not set the time and fewer than " + MinPeers + " peers' signed times are known");
        }
        else
        {
            readiness.Ready(Component);
        }

        var previous = (ClockSource)Interlocked.Exchange(ref _source, (int)source);
        if (previous != source)
        {
            LogClockSource(logger, source, offset.TotalSeconds);
        }

        return source;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clock: {Source}, offset from the system clock {OffsetSeconds:0.000} s")]
    private static partial void LogClockSource(ILogger logger, ClockSource source, double offsetSeconds);
}
