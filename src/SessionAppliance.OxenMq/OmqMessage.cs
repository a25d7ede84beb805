namespace SessionAppliance.OxenMq;

/// <summary>One command or request received over OxenMQ, with who sent it.</summary>
/// <param name="Command">"category.name".</param>
/// <param name="Parts">The data parts, after the command and the reply tag.</param>
/// <param name="SenderKey">The sender's CurveZMQ (X25519) key, proven by the handshake; empty on plain connections.</param>
/// <param name="RemoteAddress">The sender's IP address as libzmq reports it ("Peer-Address"), when known.</param>
/// <param name="Connection">Where the message came from; <see cref="OxenMq.Send(OmqConnection, string, ReadOnlyMemory{byte}[])"/> can answer there later.</param>
public sealed record OmqMessage(
    string Command, IReadOnlyList<byte[]> Parts, byte[] SenderKey, AuthLevel Level, bool FromServiceNode, string? RemoteAddress, OmqConnection Connection);

/// <summary>A connection to send on: an incoming one (a listener's route) or one this instance opened.</summary>
public sealed record OmqConnection(object Socket, byte[]? Route)
{
    /// <summary>The same socket and route: one caller's connection, however many messages it sent.</summary>
    public bool Equals(OmqConnection? other) =>
        other is not null && ReferenceEquals(Socket, other.Socket) && Route.AsSpan().SequenceEqual(other.Route);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Socket));
        hash.AddBytes(Route);
        return hash.ToHashCode();
    }

    public override string ToString() => Route is null ? "outgoing" : Convert.ToHexStringLower(Route);
}

/// <summary>The answer to a request: the reply's parts, or on failure the reason ("TIMEOUT", "FORBIDDEN_SN", …) as the only part.</summary>
public sealed record OmqReply(bool Success, IReadOnlyList<byte[]> Parts)
{
    public static OmqReply Failed(string reason) => new(false, [System.Text.Encoding.UTF8.GetBytes(reason)]);

    public string Reason => Success || Parts.Count == 0 ? "" : System.Text.Encoding.UTF8.GetString(Parts[0]);
}
