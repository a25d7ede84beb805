namespace SessionAppliance.OxenMq;

/// <summary>OxenMQ's access levels, lowest first; a caller is given one when its connection is accepted.</summary>
public enum AuthLevel
{
    Denied,
    None,
    Basic,
    Admin,
}

/// <summary>
/// Who may call a category's commands (oxen-mq's <c>Access</c>): at least <paramref name="Level"/>; only callers
/// whose key is in the active service-node set (<paramref name="RemoteServiceNode"/>); only when this instance is
/// itself a service node (<paramref name="LocalServiceNode"/>).
/// </summary>
public sealed record Access(AuthLevel Level, bool RemoteServiceNode = false, bool LocalServiceNode = false);
