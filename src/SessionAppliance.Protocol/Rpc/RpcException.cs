namespace SessionAppliance.Protocol.Rpc;

/// <summary>
/// A protocol error raised while reading or checking a request: carries the exact status and text the
/// reference answers. It never escapes a handler: the dispatcher turns it into an <see cref="RpcResponse"/>.
/// </summary>
public sealed class RpcException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static RpcException InvalidRequest(string detail) => new(400, "invalid request: " + detail);

    public static RpcException Unauthorized(string text) => new(401, text);
}
