namespace SessionAppliance.Node.Storage;

/// <summary>A message hash with the namespace it lives in, as bulk deletes and expiries report them.</summary>
public readonly record struct NamespacedHash(short Namespace, string Hash);
