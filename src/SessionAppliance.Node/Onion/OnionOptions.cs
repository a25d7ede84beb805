namespace SessionAppliance.Node.Onion;

/// <summary>Configuration section "Onion".</summary>
public sealed class OnionOptions
{
    public const string Section = "Onion";

    /// <summary>
    /// Lets proxy requests reach loopback, private, link-local, CGNAT and unique-local addresses. Only for tests
    /// and local devnets: on a home node this would open the owner's network to the world.
    /// </summary>
    public bool AllowPrivateProxyTargets { get; set; }

    /// <summary>How long an external server may take to answer a proxied request (spec §4.3: 25 s).</summary>
    public TimeSpan ProxyTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the next node may take to answer a relayed request (spec §4.3: 30 s).</summary>
    public TimeSpan RelayTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Onion requests one source address may send at once (see <see cref="OnionRateLimiter"/>).</summary>
    public int SourceBurst { get; set; } = 300;

    /// <summary>Onion requests per second one source address is refilled with; 0 turns the limit off.</summary>
    public int SourceRequestsPerSecond { get; set; } = 30;
}
