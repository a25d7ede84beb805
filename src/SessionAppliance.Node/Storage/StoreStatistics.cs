namespace SessionAppliance.Node.Storage;

/// <summary>Figures an operator or the readiness gate needs: how much is stored, how full the store is, and how many
/// messages were found damaged on the card (their data no longer matching their hash) and dropped.</summary>
/// <param name="LiveBytes">What the live messages count against the capacity; the file may be larger by the free
/// pages LiteDB keeps for reuse.</param>
/// <param name="MaxMessages">The message-count cap (what the node's memory holds); 0 when unknown.</param>
public readonly record struct StoreStatistics(long MessageCount, long FileBytes, long CapacityBytes, long DamagedDropped = 0, long LiveBytes = 0, long MaxMessages = 0)
{
    public bool IsFull => LiveBytes >= CapacityBytes || IsFullByCount;

    public bool IsFullByCount => MaxMessages > 0 && MessageCount >= MaxMessages;
}
