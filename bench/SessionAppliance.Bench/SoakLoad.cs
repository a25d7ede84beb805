using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SessionAppliance.Client;
using SessionAppliance.Client.Onion;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Bench;

/// <summary>
/// The soak's traffic: ordinary clients (stores with short TTLs so messages keep expiring, signed retrieves, onion
/// requests, a 1 MB onion request every 30 s that must succeed) beside two attacks (30 connections that announce a
/// 10 MiB body and send almost nothing, reopened as they drop; an onion flood from one address).
/// </summary>
internal sealed class SoakLoad(SoakNode node, Func<SoakCounters> counters)
{
    private const int Accounts = 200;
    private readonly StorageRequests[] _accounts = [.. Enumerable.Range(0, Accounts).Select(_ => new StorageRequests(AccountKeys.NewSessionId()))];
    private readonly NodeRpcClient[] _clients = [.. Enumerable.Range(0, 20).Select(i => LocalPorts.ClientFor(node.Port, i))];
    private OnionHop Self => new(node.Keys.Ed25519.PublicKey, node.Keys.X25519PublicKey);

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(
        Paced(40, stop, StoreAsync),
        Paced(40, stop, RetrieveAsync),
        Paced(10, stop, OnionAsync),
        Paced(1.0 / 30, stop, BigOnionAsync),
        Paced(200, stop, OnionFloodAsync),
        AnnouncedBodiesAsync(30, stop));

    private static async Task Paced(double perSecond, CancellationToken stop, Func<long, Task> operation)
    {
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var running = new List<Task>();
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            running.Add(operation(i));
            running.RemoveAll(t => t.IsCompleted);
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task Call(string what, int expected, Func<Task<RpcReply>> call, bool timeStore = false)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var reply = await call().ConfigureAwait(false);
            counters().Count(reply.Code == expected ? what : $"error {what} {reply.Code}");
            if (timeStore)
            {
                counters().StoreLatency(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            counters().Count($"error {what} {error.GetType().Name}");
        }
    }

    private Task StoreAsync(long i)
    {
        var account = _accounts[i % Accounts];
        var ttl = 20_000 + Random.Shared.Next(100_000);
        var data = new byte[1024];
        Random.Shared.NextBytes(data);
        return Call("store", 200, () => Client(i).CallAsync("store", account.Store(0, data, Now, ttl, sign: false)), timeStore: true);
    }

    private Task RetrieveAsync(long i) =>
        Call("retrieve", 200, () => Client(i).CallAsync("retrieve", _accounts[Random.Shared.Next(Accounts)].Retrieve(0, Now)));

    private Task OnionAsync(long i)
    {
        var onion = OnionRequestBuilder.ToNode([], Self, new JsonObject { ["method"] = "info", ["params"] = new JsonObject() }, OnionCipher.AesGcm);
        return Call("onion", 200, () => Client(i).PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload)));
    }

    private Task BigOnionAsync(long i)
    {
        var rpc = new JsonObject { ["method"] = "info", ["params"] = new JsonObject { ["padding"] = new string('x', 1 << 20) } };
        var onion = OnionRequestBuilder.ToNode([], Self, rpc, OnionCipher.AesGcm);
        return Call("big onion", 200, () => Client(i).PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload)));
    }

    private readonly NodeRpcClient _flooder = new(new Uri("https://127.0.0.1"), localAddress: System.Net.IPAddress.Parse("127.0.9.9"), maxConnections: 32);

    /// <summary>One address far over its onion budget: refusals (429) are the expected answer, never anything else.</summary>
    private async Task OnionFloodAsync(long i)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{node.Port}/onion_req/v2") { Content = new ByteArrayContent([1, 0, 0, 0, 0]) };
            using var response = await _flooder.SendAsync(request).ConfigureAwait(false);
            counters().Count((int)response.StatusCode is 429 or 400 ? "attack refused" : $"error flood {(int)response.StatusCode}");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            counters().Count("error flood " + error.GetType().Name);
        }
    }

    /// <summary>Connections that announce 10 MiB and send 100 bytes; each is reopened when the node drops it.</summary>
    private async Task AnnouncedBodiesAsync(int connections, CancellationToken stop)
    {
        var path = new[] { "/storage_rpc/v1", "/onion_req/v2" };
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync("127.0.0.1", node.Port, stop).ConfigureAwait(false);
                    await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
                    await tls.AuthenticateAsClientAsync("127.0.0.1").ConfigureAwait(false);
                    await tls.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"POST {path[c % 2]} HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n" + new string('{', 100)), stop).ConfigureAwait(false);
                    counters().Count("attack announced");
                    await tls.ReadAsync(new byte[256], stop).ConfigureAwait(false);
                }
                catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                {
                }
            }
        })).ConfigureAwait(false);
    }

    private NodeRpcClient Client(long i) => _clients[i % _clients.Length];

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
