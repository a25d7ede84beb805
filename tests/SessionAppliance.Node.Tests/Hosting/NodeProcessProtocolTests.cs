using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAppliance.Client;
using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Hosting;

/// <summary>
/// The client methods against the node's own executable, not the in-process host: scripts/test runs this class
/// against the Native AOT build, so every storage path (LiteDB queries, packs, the revocation list), the HTTPS
/// server and libzmq are exercised in the binary that ships.
/// </summary>
[Trait("Category", NodeProcess.Category)]
public sealed class NodeProcessProtocolTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("sa-process-").FullName;
    private readonly int _port = TestNode.FreePort();
    private readonly int _omqPort = TestNode.FreePort();
    private NodeKeys _keys = null!;
    private NodeProcess _node = null!;

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task InitializeAsync()
    {
        // The key is made here first so the test knows the node's CurveZMQ key; the node loads the same file.
        _keys = NodeIdentityStore.LoadOrCreate(_data);
        _node = await StartAsync();
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private Task<NodeProcess> StartAsync() => NodeProcess.StartAsync(_data, _port, environment: new Dictionary<string, string>
    {
        ["SESSION_APPLIANCE_Node__OmqPort"] = _omqPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private async Task<string> StoreAsync(StorageRequests account, short ns, byte[] data)
    {
        var reply = await _node.Client.CallAsync("store", account.Store(ns, data, NowMs, 600_000));
        Assert.Equal(200, reply.Code);
        return reply.Json["hash"]!.GetValue<string>();
    }

    private async Task<List<string>> RetrievedHashesAsync(StorageRequests account, short ns)
    {
        var reply = await _node.Client.CallAsync("retrieve", account.Retrieve(ns, NowMs));
        Assert.Equal(200, reply.Code);
        return [.. reply.Json["messages"]!.AsArray().Select(m => m!["hash"]!.GetValue<string>())];
    }

    [Fact]
    public async Task Messages_are_stored_retrieved_expired_and_deleted()
    {
        var account = new StorageRequests(AccountKeys.NewSessionId());
        var hashes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            hashes.Add(await StoreAsync(account, 0, [(byte)i, 1, 2]));
        }

        await StoreAsync(account, 5, [9]);
        Assert.Equal(hashes, await RetrievedHashesAsync(account, 0));

        var expiry = NowMs + 60_000;
        var expire = await _node.Client.CallAsync("expire", account.Expire([hashes[0]], expiry, "shorten"));
        Assert.Equal(200, expire.Code);
        var expiries = await _node.Client.CallAsync("get_expiries", account.GetExpiries([hashes[0]], NowMs));
        Assert.Equal(expiry, expiries.Json["expiries"]![hashes[0]]!.GetValue<long>());

        var delete = await _node.Client.CallAsync("delete", account.Delete([hashes[1]]));
        Assert.Equal(200, delete.Code);
        Assert.Equal([hashes[0], hashes[2]], await RetrievedHashesAsync(account, 0));
        Assert.Single(await RetrievedHashesAsync(account, 5));
    }

    [Fact]
    public async Task A_revoked_subaccount_is_refused_until_unrevoked()
    {
        var owner = new StorageRequests(AccountKeys.Ed25519Account(0x03, Ed25519.Generate()));
        await StoreAsync(owner, 11, [1]);
        var credentials = owner.Keys.Delegate(SubaccountFlags.Read, Ed25519.Generate());
        var reader = new StorageRequests(owner.Keys, credentials);
        Assert.Single(await RetrievedHashesAsync(reader, 11));

        Assert.Equal(200, (await _node.Client.CallAsync("revoke_subaccount", owner.Revocation("revoke_subaccount", [credentials.Token], NowMs))).Code);
        Assert.Equal(401, (await _node.Client.CallAsync("retrieve", reader.Retrieve(11, NowMs))).Code);
        var listed = await _node.Client.CallAsync("revoked_subaccounts", owner.RevokedSubaccounts(NowMs));
        Assert.Equal([Convert.ToBase64String(credentials.Token.Bytes)], listed.Json["revoked"]!.AsArray().Select(t => t!.GetValue<string>()));

        Assert.Equal(200, (await _node.Client.CallAsync("unrevoke_subaccount", owner.Revocation("unrevoke_subaccount", [credentials.Token], NowMs))).Code);
        Assert.Single(await RetrievedHashesAsync(reader, 11));
    }

    [Fact]
    public async Task Acknowledged_messages_are_served_after_the_process_is_killed_and_restarted()
    {
        var account = new StorageRequests(AccountKeys.NewSessionId());
        var hashes = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            hashes.Add(await StoreAsync(account, 0, Encoding.UTF8.GetBytes($"message {i}")));
        }

        _node.Kill();
        _node.Dispose();
        _node = await StartAsync();

        Assert.Equal(hashes, await RetrievedHashesAsync(account, 0));
    }

    [Fact]
    public async Task Storage_methods_answer_over_oxenmq_in_json_and_bt()
    {
        var account = new StorageRequests(AccountKeys.NewSessionId());
        var hash = await StoreAsync(account, 0, [9, 8, 7]);
        var pair = Sodium.PublicKeyBox.GenerateKeyPair();
        using var caller = new OxenMq.OxenMq(new OxenMqOptions { CurvePublicKey = pair.PublicKey, CurveSecretKey = pair.PrivateKey }, NullLogger.Instance);
        caller.Start();
        var peer = new OmqPeer($"tcp://127.0.0.1:{_omqPort}", _keys.X25519PublicKey);

        var json = await caller.RequestAsync(peer, "storage.retrieve", [Encoding.UTF8.GetBytes(account.Retrieve(0, NowMs).ToJsonString())], TimeSpan.FromSeconds(10));
        Assert.True(json.Success, json.Reason);
        Assert.Equal(hash, JsonNode.Parse(json.Parts[0])!["messages"]![0]!["hash"]!.GetValue<string>());

        var bt = await caller.RequestAsync(peer, "storage.retrieve", [BtWriter.Encode(BtJson.RequestFromJson(account.Retrieve(0, NowMs)))], TimeSpan.FromSeconds(10));
        Assert.True(bt.Success, bt.Reason);
        Assert.Equal(new byte[] { 9, 8, 7 }, ((BtDict)BtReader.Parse(bt.Parts[0]))["messages"]!.AsList()![0].AsDict()!["data"]!.AsBytes());
    }
}
