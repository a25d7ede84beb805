using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// Forwards a proxy instruction to an external Session server (open group, file server) and passes its
/// answer back. Addresses are checked after DNS resolution and again on the connected socket, so DNS
/// rebinding cannot slip a private address past the check.
/// </summary>
public sealed partial class ProxyForwarder : IDisposable
{
    private readonly HttpClient _http;
    private readonly OnionOptions _options;
    private readonly ILogger<ProxyForwarder> _logger;

    public ProxyForwarder(IOptions<OnionOptions> options, ILogger<ProxyForwarder> logger, Bandwidth.BandwidthGovernor bandwidth)
    {
        _options = options.Value;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) => new Bandwidth.GovernedStream(await ConnectToPublicAddressAsync(context, cancellationToken).ConfigureAwait(false), bandwidth),
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public sealed record ProxyAnswer(int Status, string ContentType, byte[] Body);

    public async Task<ProxyAnswer> ForwardAsync(Protocol.Onion.OnionInstruction.Proxy proxy, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(proxy.Protocol, proxy.Host, proxy.Port, proxy.Target).Uri;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ProxyTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(proxy.Plaintext) };

        // The headers the reference's HTTP client sends; servers such as SOGS see the same request from either node.
        request.Headers.TryAddWithoutValidation("User-Agent", "Oxen Storage Server/" + Protocol.Rpc.ProtocolVersion.VersionText);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            return new ProxyAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "text/plain", body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProxyAnswer(504, "text/plain", "Request time out"u8.ToArray());
        }
        catch (HttpRequestException error) when (error.InnerException is RefusedAddressException refused)
        {
            return new ProxyAnswer(403, "text/plain", System.Text.Encoding.UTF8.GetBytes(refused.Message));
        }
        catch (HttpRequestException error)
        {
            LogProxyFailed(error.HttpRequestError);
            return new ProxyAnswer(502, "text/plain", "Failed to reach the target server"u8.ToArray());
        }
    }

    public void Dispose() => _http.Dispose();

    private async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new RefusedAddressException($"Proxy target {host} does not resolve");
        }

        EnsureAllowed(addresses);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            EnsureAllowed([((IPEndPoint)socket.RemoteEndPoint!).Address]);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void EnsureAllowed(IPAddress[] addresses)
    {
        if (_options.AllowPrivateProxyTargets)
        {
            return;
        }

        if (addresses.Any(a => !PublicAddressPolicy.IsPublic(a)))
        {
            throw new RefusedAddressException("Proxy target refused: it resolves to a loopback, private or local address");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxying to an external server failed: {Error}")]
    private partial void LogProxyFailed(HttpRequestError error);

    private sealed class RefusedAddressException(string message) : IOException(message);
}
