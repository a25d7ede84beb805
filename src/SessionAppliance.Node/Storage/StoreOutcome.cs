namespace SessionAppliance.Node.Storage;

/// <summary>What a store did: inserted, or found an existing copy (whose expiry may have been extended).</summary>
public readonly record struct StoreOutcome(StoreStatus Status, long ExpiryMs)
{
    public static StoreOutcome Full => new(StoreStatus.StorageFull, 0);
}

public enum StoreStatus
{
    Inserted,
    AlreadyExisted,
    StorageFull,
}
