using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SessionAppliance.Client.Onion;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Node.Tests.Hosting;

/// <summary>Memory for a body grows with the bytes that arrive, within one node-wide budget (issue: announced bodies).</summary>
public class RequestBodyTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Bodies_that_are_only_announced_reserve_almost_nothing_and_a_1_MB_onion_request_still_succeeds()
    {
        await using var node = await TestNode.StartAsync(null, "--Node:BodyBytesInFlight=" + (16 * MiB));
        var reader = node.Services.GetRequiredService<RequestBodyReader>();
        var hangers = new List<HangingRequest>();
        try
        {
            foreach (var path in new[] { "/storage_rpc/v1", "/onion_req/v2" })
            {
                for (var i = 0; i < 15; i++)
                {
                    hangers.Add(await HangingRequest.OpenAsync(node.Port, path, announced: 10 * MiB, sent: 100));
                }
            }

            await PollAsync(() => reader.ReservedBytes >= 30 * 100, "every hanging request to have started its body");
            Assert.InRange(reader.ReservedBytes, 30 * 100, 30 * 16 * 1024);

            var self = new OnionHop(node.Keys.Ed25519.PublicKey, node.Keys.X25519PublicKey);
            var rpc = new JsonObject { ["method"] = "info", ["params"] = new JsonObject { ["padding"] = new string('x', MiB) } };
            var onion = OnionRequestBuilder.ToNode([], self, rpc, OnionCipher.AesGcm);
            Assert.True(onion.EntryPayload.Length > MiB);

            var reply = await node.Client.PostAsync("/onion_req/v2", "", customise: r => r.Content = new ByteArrayContent(onion.EntryPayload));

            Assert.Equal(200, reply.Code);
            Assert.Equal(200, onion.OpenNodeReply(reply.Body)!.Value.Status);
        }
        finally
        {
            hangers.ForEach(h => h.Dispose());
        }
    }

    [Fact]
    public async Task A_body_the_budget_cannot_hold_answers_503_and_the_budget_comes_back_when_the_holder_leaves()
    {
        await using var node = await TestNode.StartAsync(null, "--Node:BodyBytesInFlight=" + (16 * MiB));
        var reader = node.Services.GetRequiredService<RequestBodyReader>();
        var holder = await HangingRequest.OpenAsync(node.Port, "/storage_rpc/v1", announced: 10 * MiB, sent: 9 * MiB);
        await PollAsync(() => reader.ReservedBytes == 16 * MiB, "the 9 MiB body to hold the whole budget");

        var refused = await node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""");

        Assert.Equal(503, refused.Code);
        Assert.Equal("Service node is busy: too many request bytes in flight\n", refused.Body);

        holder.Dispose();
        await PollAsync(() => reader.ReservedBytes == 0, "the abandoned body's buffer to be returned");
        Assert.Equal(200, (await node.Client.PostAsync("/storage_rpc/v1", """{"method":"info","params":{}}""")).Code);
    }

    [Theory]
    [InlineData("/storage_rpc/v1")]
    [InlineData("/onion_req/v2")]
    public async Task A_body_announced_above_10_MiB_answers_413_without_reading_it(string path)
    {
        await using var node = await TestNode.StartAsync();
        using var request = await HangingRequest.OpenAsync(node.Port, path, announced: 10 * MiB + 1, sent: 0);

        var status = await request.ReadStatusLineAsync();

        Assert.Equal("HTTP/1.1 413 Payload Too Large", status);
    }

    private static async Task PollAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>A TLS connection that announces a body and sends only part of it, as a slow or hostile client does.</summary>
    private sealed class HangingRequest : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;

        private HangingRequest(TcpClient tcp, SslStream tls)
        {
            _tcp = tcp;
            _tls = tls;
        }

        public static async Task<HangingRequest> OpenAsync(int port, string path, long announced, int sent)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("127.0.0.1");
            var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {announced}\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(head));
            await tls.WriteAsync(new byte[sent]);
            await tls.FlushAsync();
            return new HangingRequest(tcp, tls);
        }

        public async Task<string> ReadStatusLineAsync()
        {
            using var reader = new StreamReader(_tls, Encoding.ASCII, leaveOpen: true);
            return await reader.ReadLineAsync() ?? "";
        }

        public void Dispose()
        {
            _tls.Dispose();
            _tcp.Dispose();
        }
    }
}
