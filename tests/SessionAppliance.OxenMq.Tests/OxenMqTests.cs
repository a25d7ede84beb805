using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace SessionAppliance.OxenMq.Tests;

public sealed class OxenMqTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Curve _serverKeys = Curve.Generate();
    private readonly Curve _clientKeys = Curve.Generate();
    private readonly HashSet<string> _activeNodes = [];
    private readonly OxenMq _server;
    private readonly OxenMq _client;
    private readonly OmqPeer _serverPeer;

    public OxenMqTests()
    {
        _server = new OxenMq(
            new OxenMqOptions
            {
                CurvePublicKey = _serverKeys.Public,
                CurveSecretKey = _serverKeys.Secret,
                IsServiceNode = true,
                IsActiveServiceNode = key => _activeNodes.Contains(Convert.ToHexStringLower(key.Span)),
            },
            NullLogger.Instance);
        _server.AddCategory("test", new Access(AuthLevel.None));
        _server.AddRequestCommand("test", "echo", m => Task.FromResult<IReadOnlyList<byte[]>?>([m.SenderKey, .. m.Parts]));
        _server.AddCategory("sn", new Access(AuthLevel.None, RemoteServiceNode: true));
        _server.AddRequestCommand("sn", "ping", _ => Task.FromResult<IReadOnlyList<byte[]>?>(["pong"u8.ToArray()]));
        _server.AddCategory("admin", new Access(AuthLevel.Admin));
        _server.AddRequestCommand("admin", "x", _ => Task.FromResult<IReadOnlyList<byte[]>?>([]));
        var bound = _server.Listen("tcp://127.0.0.1:0", curve: true);
        _server.Start();
        _serverPeer = new OmqPeer(bound, _serverKeys.Public);

        _client = new OxenMq(new OxenMqOptions { CurvePublicKey = _clientKeys.Public, CurveSecretKey = _clientKeys.Secret }, NullLogger.Instance);
        _client.Start();
    }

    [Fact]
    public async Task A_request_is_answered_and_the_sender_is_named_by_its_curve_key()
    {
        var reply = await _client.RequestAsync(_serverPeer, "test.echo", [Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("b")], Patience);
        Assert.True(reply.Success, reply.Reason);
        Assert.Equal(_clientKeys.Public, reply.Parts[0]);
        Assert.Equal(["a", "b"], reply.Parts.Skip(1).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public async Task Sn_commands_need_a_key_in_the_active_service_node_set()
    {
        var refused = await _client.RequestAsync(_serverPeer, "sn.ping", [], Patience);
        Assert.False(refused.Success);
        Assert.Equal(OmqErrors.ForbiddenServiceNode, refused.Reason);

        _activeNodes.Add(_clientKeys.Hex);
        var accepted = await _client.RequestAsync(_serverPeer, "sn.ping", [], Patience);
        Assert.True(accepted.Success, accepted.Reason);
        Assert.Equal("pong", Encoding.UTF8.GetString(accepted.Parts[0]));
    }

    [Fact]
    public async Task Admin_categories_are_refused_to_ordinary_callers()
    {
        var reply = await _client.RequestAsync(_serverPeer, "admin.x", [], Patience);
        Assert.Equal(OmqErrors.Forbidden, reply.Reason);
    }

    [Fact]
    public async Task Connect_waits_for_hello()
    {
        Assert.True(await _client.ConnectAsync(_serverPeer, AuthLevel.None, Patience));
    }

    [Fact]
    public async Task A_dialler_with_the_wrong_server_key_gets_nothing()
    {
        var wrong = new OmqPeer(_serverPeer.Address, Curve.Generate().Public);
        var reply = await _client.RequestAsync(wrong, "test.echo", [], TimeSpan.FromSeconds(1));
        Assert.Equal(OmqErrors.Timeout, reply.Reason);
    }

    [Fact]
    public async Task A_plain_ipc_listener_gives_its_callers_the_level_allow_decides()
    {
        var path = Path.Combine(Path.GetTempPath(), "omq-" + Guid.NewGuid().ToString("N") + ".sock");
        using var plain = new OxenMq(new OxenMqOptions { Allow = (_, key, _) => key.Length == 0 ? AuthLevel.Admin : AuthLevel.None }, NullLogger.Instance);
        plain.AddCategory("admin", new Access(AuthLevel.Admin));
        plain.AddRequestCommand("admin", "who", m => Task.FromResult<IReadOnlyList<byte[]>?>([Encoding.UTF8.GetBytes(m.Level.ToString())]));
        plain.Listen("ipc://" + path, curve: false);
        plain.Start();
        using var caller = new OxenMq(new OxenMqOptions(), NullLogger.Instance);
        caller.Start();
        var reply = await caller.RequestAsync(new OmqPeer("ipc://" + path), "admin.who", [], Patience);
        Assert.True(reply.Success, reply.Reason);
        Assert.Equal("Admin", Encoding.UTF8.GetString(reply.Parts[0]));
        File.Delete(path);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }
}
