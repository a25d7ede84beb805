namespace SessionAppliance.Node.Storage;

/// <summary>One page of a retrieve and whether more messages are waiting after it.</summary>
public sealed record RetrievePage(IReadOnlyList<StoredMessage> Messages, bool More);
