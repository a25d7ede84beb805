namespace SessionAppliance.Fuzz;

/// <summary>
/// One parser fed outside bytes. A target returns normally for any input, however malformed: an exception that
/// escapes is a crash, as it would be a 500 or a dead background loop in the node.
/// </summary>
internal sealed record FuzzTarget(string Name, string Reads, Action<ReadOnlyMemory<byte>> Run);
