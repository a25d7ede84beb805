using System.Net;
using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Client;
using SessionAppliance.Node.Onion;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Onion;

/// <summary>Onion requests are limited per source address, except from listed service nodes (relays).</summary>
public class OnionRateLimitTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private TestNode Node => fixture.Node;

    [Fact]
    public void A_source_gets_300_at_once_then_30_a_second()
    {
        var clock = new FakeTimeProvider();
        var limiter = new OnionRateLimiter(clock, Microsoft.Extensions.Options.Options.Create(new OnionOptions()));
        var source = IPAddress.Parse("198.51.100.20");

        Assert.Equal(300, Enumerable.Range(0, 400).Count(_ => limiter.TryAcquire(source)));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(30, Enumerable.Range(0, 100).Count(_ => limiter.TryAcquire(source)));
    }

    [Fact]
    public async Task An_unlisted_address_is_refused_with_429_once_its_bucket_is_empty()
    {
        using var client = new NodeRpcClient(Node.Client.BaseAddress, localAddress: IPAddress.Parse("127.0.0.2"));

        var replies = await SendBurstAsync(client, 1000);

        // 1,000 back-to-back requests would need 23 s of refill to all pass; they take a second or two.
        Assert.Contains(replies, r => r.Code == 429 && r.Body == "Too Many Requests\n");
        Assert.InRange(replies.Count(r => r.Code != 429), new OnionOptions().SourceBurst, 999);
    }

    [Fact]
    public async Task A_listed_node_relaying_is_not_limited_by_address()
    {
        // The node lists itself at 127.0.0.1, so requests from that address come from a listed node.
        var replies = await SendBurstAsync(Node.Client, 1000);

        Assert.DoesNotContain(replies, r => r.Code == 429);
    }

    /// <summary>Malformed onion bodies: the limit applies before any parsing, so they cost a token each.</summary>
    private static async Task<List<RpcReply>> SendBurstAsync(NodeRpcClient client, int count)
    {
        var replies = new List<RpcReply>(count);
        for (var i = 0; i < count; i++)
        {
            replies.Add(await client.PostAsync("/onion_req/v2", "not an onion"));
        }

        return replies;
    }
}
