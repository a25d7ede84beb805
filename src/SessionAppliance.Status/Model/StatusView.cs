namespace SessionAppliance.Status.Model;

/// <summary>One consistent reading of everything the console shows: the light's state and why, the node's last answer and the board.</summary>
public sealed record StatusView(
    ApplianceState State, IReadOnlyList<(ApplianceState State, string Reason)> Reasons, NodeContact Contact, NodeReport? Report,
    DateTimeOffset? LastAnswer, BoardReport Board, bool PairingOpen, DateTimeOffset ServiceStarted, DateTimeOffset Now);
