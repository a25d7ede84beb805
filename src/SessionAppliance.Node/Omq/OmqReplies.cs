using System.Globalization;
using System.Text;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Omq;

/// <summary>How the reference answers a client RPC over OxenMQ (spec §2): success <c>[body]</c>, failure <c>[code, body]</c>.</summary>
internal static class OmqReplies
{
    public static IReadOnlyList<byte[]> Of(RpcResponse response, bool bt)
    {
        var body = response.Json is null
            ? Encoding.UTF8.GetBytes(response.Text ?? "")
            : bt ? BtWriter.Encode(BtJson.FromJson(response.Json)) : Encoding.UTF8.GetBytes(CanonicalJson.Serialize(response.Json));
        return response.IsSuccess ? [body] : [Code(response.Status), body];
    }

    public static byte[] Code(int status) => Encoding.ASCII.GetBytes(status.ToString(CultureInfo.InvariantCulture));

    public static IReadOnlyList<byte[]> Error(int status, string text) => [Code(status), Encoding.UTF8.GetBytes(text)];
}
