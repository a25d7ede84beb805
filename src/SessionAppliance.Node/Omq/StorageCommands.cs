using System.Net;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Rpc;
using SessionAppliance.OxenMq;

namespace SessionAppliance.Node.Omq;

/// <summary>
/// <c>storage.&lt;method&gt;</c> for every client method name (spec §2): the same dispatcher as HTTPS, the
/// per-IPv4 rate limit, and the answer in the request's own encoding (bt requests get bt answers).
/// </summary>
public sealed class StorageCommands(ClientRpcDispatcher dispatcher, ClientRateLimiter rateLimiter, IEnumerable<IClientMethod> methods)
{
    public void Register(OxenMq.OxenMq omq)
    {
        omq.AddCategory("storage", new Access(AuthLevel.None), maxQueued: 200);
        foreach (var name in methods.SelectMany(m => m.Declaration.Names))
        {
            omq.AddRequestCommand("storage", name, message => HandleAsync(name, message));
        }
    }

    private async Task<IReadOnlyList<byte[]>?> HandleAsync(string method, OmqMessage message)
    {
        // Only IPv4 callers are limited, as the reference's limiter does.
        if (IPAddress.TryParse(message.RemoteAddress, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && !rateLimiter.TryAcquire(address))
        {
            return OmqReplies.Error(429, "Too many requests, try again later");
        }

        if (OmqRequestBody.Read(method, message.Parts) is not { } request)
        {
            return OmqReplies.Error(400, OmqRequestBody.Unreadable);
        }

        var response = await dispatcher.DispatchBodyAsync(request.Body, fromSwarmPeer: false, CancellationToken.None).ConfigureAwait(false);
        return OmqReplies.Of(response, request.Bt);
    }
}
