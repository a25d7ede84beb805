using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Client;
using SessionAppliance.Node.Omq;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Node.Tests.Support;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Monitor;

namespace SessionAppliance.Node.Tests.Omq;

/// <summary><c>monitor.messages</c> and <c>notify.message</c> (spec §2): what a push server sees of a node.</summary>
public sealed class MonitorTests : IAsyncLifetime
{
    private readonly PushListener _listener = new();
    private TestNode _node = null!;
    private OmqPeer _peer = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync(null, $"--Node:OmqPort={TestNode.FreePort()}");
        _peer = OmqHost.PeerOf(_node.Services.GetRequiredService<INetworkViewSource>().Current.Self);
    }

    private async Task<string> SubscribeAsync(BtValue request)
    {
        var reply = await _listener.Omq.RequestAsync(_peer, "monitor.messages", [BtWriter.Encode(request)], TimeSpan.FromSeconds(10));
        Assert.True(reply.Success, reply.Reason);
        return System.Text.Encoding.Latin1.GetString(reply.Parts[0]);
    }

    private BtDict NextPush()
    {
        Assert.True(_listener.TryNext(TimeSpan.FromSeconds(10), out var push), "no notify.message arrived");
        return push;
    }

    [Fact]
    public async Task A_new_message_in_a_watched_namespace_is_pushed_once_with_its_metadata()
    {
        var session = new AccountSession(_node);
        Assert.Equal("d7:successi1ee", await SubscribeAsync(MonitorRequests.Subscribe(session.Keys, [0, 5], wantData: false, _node.NowMs / 1000)));

        await session.StoreAsync(1, [9]); // not watched
        var hash = await session.StoreAsync(5, [1, 2, 3]);
        var push = NextPush();
        Assert.Equal(session.Keys.Account.Bytes.ToArray(), push["@"]!.AsBytes());
        Assert.Equal(hash, push["h"]!.AsUtf8());
        Assert.Equal(5, (int)push["n"]!.AsInteger()!.Value);
        Assert.True(push["z"]!.AsInteger() > push["t"]!.AsInteger());
        Assert.Null(push["~"]);

        // The same message stored again is not new: nothing is pushed.
        await session.StoreAsync(5, [1, 2, 3]);
        Assert.False(_listener.TryNext(TimeSpan.FromMilliseconds(500), out _));
    }

    [Fact]
    public async Task A_subscriber_that_asks_for_data_gets_the_message_bytes()
    {
        var session = new AccountSession(_node, AccountKeys.Ed25519Account(0x03, Protocol.Crypto.Ed25519.Generate()));
        var answers = await SubscribeAsync(new BtList([
            MonitorRequests.Subscribe(session.Keys, [0], wantData: true, _node.NowMs / 1000),
            MonitorRequests.Subscribe(session.Keys, [0], wantData: true, (_node.NowMs / 1000) - (30L * 86_400)),
        ]));
        Assert.Equal("ld7:successi1eed7:errcodei4e5:error52:Invalid t= signature timestamp: timestamp is too oldee", answers);

        var data = new byte[] { 7, 7, 7 };
        var storeReply = await _node.Client.CallAsync("store", session.Requests.Store(0, data, _node.NowMs, 600_000));
        Assert.Equal(200, storeReply.Code);
        Assert.Equal(data, NextPush()["~"]!.AsBytes());
    }

    [Fact]
    public async Task A_request_that_is_not_one_bt_part_is_refused_as_bad_args()
    {
        var reply = await _listener.Omq.RequestAsync(_peer, "monitor.messages", [[1], [2]], TimeSpan.FromSeconds(10));
        Assert.Equal("d7:errcodei1e5:error81:Invalid arguments: monitor request takes a single bencoded dict or list parametere", System.Text.Encoding.Latin1.GetString(reply.Parts[0]));
    }

    [Fact]
    public void Subscriptions_last_65_minutes_from_their_last_renewal_and_merge_namespaces()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var monitors = new MessageMonitors(clock);
        var account = AccountKeys.NewSessionId().Account;
        var connection = new OmqConnection(new object(), [1, 2, 3]);
        monitors.Add(new MonitorSubscription(account, [0], WantData: true), connection);
        clock.Advance(TimeSpan.FromMinutes(60));
        monitors.Add(new MonitorSubscription(account, [3], WantData: false), new OmqConnection(connection.Socket, [1, 2, 3]));
        Assert.Equal(1, monitors.Count);

        clock.Advance(TimeSpan.FromMinutes(60));
        var (plain, withData) = monitors.WatchersOf(account, 3);
        Assert.Empty(plain);
        Assert.Single(withData); // the data flag outlives the renewal that did not ask for it
        Assert.Single(monitors.WatchersOf(account, 0).WithData);

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(monitors.WatchersOf(account, 0).WithData);
        Assert.Equal(0, monitors.Count);
    }

    [Fact]
    public void A_full_table_makes_room_by_dropping_the_entry_closest_to_expiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var monitors = new MessageMonitors(clock);
        var connection = new OmqConnection(new object(), [1]);
        var first = AccountKeys.NewSessionId().Account;
        monitors.Add(new MonitorSubscription(first, [0], false), connection);
        clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 1; i < MessageMonitors.MaxEntries; i++)
        {
            monitors.Add(new MonitorSubscription(AccountId.FromBytes([0x05, .. BitConverter.GetBytes((long)i), .. new byte[24]]), [0], false), connection);
        }

        var newcomer = AccountKeys.NewSessionId().Account;
        monitors.Add(new MonitorSubscription(newcomer, [0], false), connection);
        Assert.Equal(MessageMonitors.MaxEntries, monitors.Count);
        Assert.Empty(monitors.WatchersOf(first, 0).Plain);
        Assert.Single(monitors.WatchersOf(newcomer, 0).Plain);
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _node.DisposeAsync();
    }
}
