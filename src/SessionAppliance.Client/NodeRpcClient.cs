using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionAppliance.Client;

/// <summary>
/// Sends storage RPC requests straight to a node over HTTPS. Like Session clients, it does not check the
/// node's certificate: nodes are trusted by key, never by certificate (spec §7).
/// </summary>
public sealed class NodeRpcClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="localAddress">Source address to connect from, e.g. one of many loopback addresses to act as many clients.</param>
    public NodeRpcClient(Uri nodeBaseAddress, TimeSpan? timeout = null, IPAddress? localAddress = null, int maxConnections = 8)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = maxConnections,
        };
        if (localAddress is not null)
        {
            handler.ConnectCallback = (context, cancellationToken) => ConnectFromAsync(localAddress, context.DnsEndPoint, cancellationToken);
        }

        _http = new HttpClient(handler) { BaseAddress = nodeBaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("WhatsApp");
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<RpcReply> CallAsync(string method, JsonObject parameters, CancellationToken cancellationToken = default) =>
        PostAsync("/storage_rpc/v1", new JsonObject { ["method"] = method, ["params"] = parameters }.ToJsonString(), cancellationToken);

    /// <summary>Posts a raw body, for requests a well-behaved client would never send.</summary>
    public async Task<RpcReply> PostAsync(string path, string body, CancellationToken cancellationToken = default, Action<HttpRequestMessage>? customise = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        customise?.Invoke(request);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new RpcReply(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, response.Headers);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);

    public void Dispose() => _http.Dispose();

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress localAddress, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A node's answer: status, raw body, and the body as JSON when it is JSON.</summary>
public sealed record RpcReply(HttpStatusCode Status, string Body, string? ContentType, System.Net.Http.Headers.HttpResponseHeaders Headers)
{
    public int Code => (int)Status;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty JSON body");
}
