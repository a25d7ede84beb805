namespace SessionAppliance.Node.Storage;

/// <summary>Figures an operator or the readiness gate needs: how much is stored and how full the store is.</summary>
public readonly record struct StoreStatistics(long MessageCount, long FileBytes, long CapacityBytes)
{
    public bool IsFull => FileBytes >= CapacityBytes;
}
