using System.Net;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// HTTPS to other nodes. Certificates are not checked, as clients do not check them either: a node proves
/// its identity by decrypting layers sent to its X25519 key and by signing with its Ed25519 key (spec §7).
/// </summary>
public sealed class PeerHttpClient : IDisposable
{
    private readonly HttpClient _http;

    public PeerHttpClient(Bandwidth.BandwidthGovernor bandwidth)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            AllowAutoRedirect = false,

            // Under a burst, waiting for a pooled connection is cheaper than a TLS handshake storm.
            MaxConnectionsPerServer = MaxConnectionsPerPeer,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new Bandwidth.GovernedStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true), bandwidth);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // An answer is read whole into memory: no peer, seed or proxied server gets to fill a small board's RAM.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxAnswerBytes };
    }

    /// <summary>
    /// HTTP/1.1 carries one request per connection at a time, and a replicated store holds its connection for the
    /// peer's commit window (100 ms): 32 connections capped a 3-node swarm at ~270 stores/s, 128 give ~820/s.
    /// </summary>
    public const int MaxConnectionsPerPeer = 128;

    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    /// <param name="Headers">The answer's peer-signature and node-key headers, when it has them.</param>
    /// <param name="Delivered">False when no answer came (timeout or no connection): Status is then ours, not the peer's.</param>
    public sealed record PeerAnswer(int Status, string ContentType, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null, bool Delivered = true);

    /// <summary>POSTs to a node; a timeout answers 504 "Request time out", a failure 502.</summary>
    public Task<PeerAnswer> PostAsync(Protocol.Swarm.ServiceNode node, string path, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken cancellationToken) =>
        PostAsync(node, path, new ReadOnlyMemoryContent(body), timeout, cancellationToken);

    public Task<PeerAnswer> PostAsync(Protocol.Swarm.ServiceNode node, string path, HttpContent content, TimeSpan timeout, CancellationToken cancellationToken) =>
        PostAsync(UriOf(node, path), content, null, timeout, cancellationToken);

    public static Uri UriOf(Protocol.Swarm.ServiceNode node, string path) => new($"https://{FormatHost(node.PublicIp)}:{node.HttpsPort}{path}");

    /// <summary>POSTs to any URL (a seed, oxend) with optional headers; answers as the other overload does.</summary>
    public async Task<PeerAnswer> PostAsync(Uri uri, HttpContent content, IReadOnlyDictionary<string, string>? headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            var signed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in new[] { PeerSignature.TimestampHeader, PeerSignature.SignatureHeader, PeerSignature.SnodePubkeyHeader, Clock.PeerTime.TimeHeader, Clock.PeerTime.SignatureHeader })
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    signed[name] = values.First();
                }
            }

            return new PeerAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "text/plain", bytes, signed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PeerAnswer(504, "text/plain", "Request time out"u8.ToArray(), Delivered: false);
        }
        catch (HttpRequestException)
        {
            return new PeerAnswer(502, "text/plain", "Next node is unreachable"u8.ToArray(), Delivered: false);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string FormatHost(string ip) =>
        IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip;
}
