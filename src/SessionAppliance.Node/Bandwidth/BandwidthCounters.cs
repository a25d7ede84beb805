namespace SessionAppliance.Node.Bandwidth;

/// <summary>Bytes counted in the current quota period, as saved to the card.</summary>
public sealed record BandwidthCounters(DateTime PeriodStart, long IngressBytes, long EgressBytes, bool CleanShutdown);
