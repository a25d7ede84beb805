namespace SessionAppliance.Status.Model;

/// <summary>What the node said about itself in its last answer; null fields were not reported.</summary>
public sealed record NodeReport(bool Ready, IReadOnlyList<string> NotReadyReasons, IReadOnlyList<string> DegradedReasons, bool Starting = false)
{
    /// <summary>The rest of the answer, for the console and /metrics.</summary>
    public NodeFigures Figures { get; init; } = new();
}

/// <summary>Board readings; null means the board does not expose that sensor (unknown, never "fine").</summary>
public sealed record BoardReport(double? CpuCelsius, bool? Throttled, bool? UnderVoltage, bool? ClockSynchronised);

/// <summary>Requests from the operator's tools: identify, or an update running or refused.</summary>
/// <param name="SettingsErrors">The image's import found bad keys in the operator's settings file (the node runs on defaults for them).</param>
public sealed record OperatorRequests(bool Identify, bool UpdateInProgress, bool SettingsErrors = false)
{
    /// <summary>When the "pair" request file was last touched; each new touch opens the pairing window once.</summary>
    public DateTimeOffset? PairRequestedAt { get; init; }

    /// <summary>Why the last update was refused (a bad signature, a damaged or foreign bundle), until one installs.</summary>
    public string? UpdateRefused { get; init; }
}
