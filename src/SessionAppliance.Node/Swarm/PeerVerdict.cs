namespace SessionAppliance.Node.Swarm;

/// <summary>The last word on one peer: reachable or not, since when, how many failures in a row and why.</summary>
public sealed record PeerVerdict(bool Reachable, DateTimeOffset TestedAt, int Failures, string? Reason);
