namespace SessionAppliance.OxenMq;

/// <summary>
/// Where to send: a ZMQ address ("tcp://203.0.113.5:22020", "ipc:///var/lib/oxen/oxend.sock") and, for CurveZMQ,
/// the remote's X25519 key. Connections are shared per key (per address when there is none).
/// </summary>
public sealed record OmqPeer(string Address, byte[]? CurveKey = null)
{
    internal string ConnectionKey => CurveKey is null ? Address : Convert.ToHexStringLower(CurveKey);
}
