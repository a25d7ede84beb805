using SessionAppliance.Node.Bandwidth;
using System.Net;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>
/// <c>POST /storage_rpc/v1</c> (spec §2): readiness gate, IPv4 only, per-IP rate limit, no long polling, body
/// cap, then the client RPC. JSON answers are application/json, everything else text/plain.
/// </summary>
public sealed class StorageRpcEndpoint(ClientRpcDispatcher dispatcher, ClientRateLimiter rateLimiter, NodeReadiness readiness, BandwidthGovernor bandwidth, RequestBodyReader bodies)
{
    /// <summary>Checks in the reference's order: readiness, IPv4, rate limit, long polling, body size.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        HttpBody.DisableKestrelBodyLimit(context);
        if (!readiness.IsReady)
        {
            await HttpBody.WriteTextAsync(context, 503, "Service node is not ready: " + readiness.Reasons + "\n").ConfigureAwait(false);
            return;
        }

        if (bandwidth.Refusal(TrafficClass.Client) is { } refusal)
        {
            await HttpBody.WriteTextAsync(context, 503, refusal).ConfigureAwait(false);
            return;
        }

        var client = context.Connection.RemoteIpAddress;
        if (client is null || !(client.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || client.IsIPv4MappedToIPv6))
        {
            await HttpBody.WriteStatusAsync(context, 400).ConfigureAwait(false);
            return;
        }

        if (!rateLimiter.TryAcquire(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client))
        {
            await HttpBody.WriteStatusAsync(context, 429).ConfigureAwait(false);
            return;
        }

        if (!string.IsNullOrEmpty(context.Request.Headers["X-Loki-Long-Poll"]))
        {
            await HttpBody.WriteTextAsync(context, 410, "long polling is no longer supported, client upgrade required").ConfigureAwait(false);
            return;
        }

        if (await bodies.ReadAsync(context).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        var response = await dispatcher.DispatchBodyAsync(body, fromSwarmPeer: false, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, response).ConfigureAwait(false);
    }

    /// <summary>
    /// A retrieve's answer can be 10 MB of JSON: it is serialised once, as UTF-8, and sent from that buffer (a
    /// round trip through a string held it three times over, and a 48 MiB heap could not answer it).
    /// </summary>
    public static async Task WriteAsync(HttpContext context, RpcResponse response)
    {
        if (response.Json is null)
        {
            await HttpBody.WriteTextAsync(context, response.Status, response.Text ?? "").ConfigureAwait(false);
            return;
        }

        using var body = new MemoryStream();
        CanonicalJson.SerializeTo(response.Json, body);
        await HttpBody.WriteAsync(context, response.Status, "application/json", body.GetBuffer().AsMemory(0, (int)body.Length)).ConfigureAwait(false);
    }
}
