using System.Text.Json.Nodes;
using SessionAppliance.Client;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>A fresh account talking to a test node: store a few messages, then exercise a method on them.</summary>
public sealed class AccountSession(TestNode node, AccountKeys? keys = null, SubaccountCredentials? subaccount = null)
{
    public StorageRequests Requests { get; } = new(keys ?? AccountKeys.NewSessionId(), subaccount);

    public AccountKeys Keys => Requests.Keys;

    public async Task<string> StoreAsync(short ns, byte[] data, long ttlMs = 600_000)
    {
        var reply = await node.Client.CallAsync("store", Requests.Store(ns, data, node.NowMs, ttlMs));
        Assert.Equal(200, reply.Code);
        return reply.Json["hash"]!.GetValue<string>();
    }

    public async Task<List<string>> StoreManyAsync(short ns, int count, long ttlMs = 600_000)
    {
        var hashes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            hashes.Add(await StoreAsync(ns, [(byte)i, (byte)(i >> 8), 0x5A], ttlMs));
        }

        return hashes;
    }

    public async Task<JsonNode> RetrieveAsync(short ns, string? lastHash = null, int? maxCount = null, long? maxSize = null)
    {
        var reply = await node.Client.CallAsync("retrieve", Requests.Retrieve(ns, node.NowMs, lastHash, maxCount, maxSize));
        Assert.Equal(200, reply.Code);
        return reply.Json;
    }

    public JsonNode OwnEntry(RpcReplyView reply) => reply.Json["swarm"]![node.Keys.Ed25519Hex]!;
}

/// <summary>Just enough of a reply to read its own swarm entry.</summary>
public readonly record struct RpcReplyView(JsonNode Json);
