using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace SessionAppliance.OxenMq.Tests;

/// <summary>
/// Against libzmq itself, through Debian's python3-zmq: hand-made oxen-mq frames against our listener, and our
/// dialler against a libzmq CurveZMQ ROUTER with a ZAP handler (spec §2).
/// </summary>
public sealed class LibZmqInteropTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Our_listener_answers_hand_made_oxenmq_frames_from_libzmq()
    {
        var keys = Curve.Generate();
        using var server = new OxenMq(new OxenMqOptions { CurvePublicKey = keys.Public, CurveSecretKey = keys.Secret, IsServiceNode = true }, NullLogger.Instance);
        server.AddCategory("test", new Access(AuthLevel.None));
        server.AddRequestCommand("test", "echo", m => Task.FromResult<IReadOnlyList<byte[]>?>([m.SenderKey, .. m.Parts]));
        server.AddCategory("sn", new Access(AuthLevel.None, RemoteServiceNode: true));
        server.AddRequestCommand("sn", "ping", _ => Task.FromResult<IReadOnlyList<byte[]>?>(["pong"u8.ToArray()]));
        server.AddCategory("admin", new Access(AuthLevel.Admin));
        server.AddRequestCommand("admin", "x", _ => Task.FromResult<IReadOnlyList<byte[]>?>([]));
        var address = server.Listen("tcp://127.0.0.1:0", curve: true);
        server.Start();

        using var output = JsonDocument.Parse(await RunPythonAsync("omq_client.py", address, keys.Hex));
        var seen = output.RootElement;
        var tagHex = string.Concat(Enumerable.Repeat("01", 15));
        Assert.Equal([Hex("HELLO")], Frames(seen, "hi"));
        Assert.Equal([Hex("REPLY"), tagHex, seen.GetProperty("key").GetString()!, Hex("one"), Hex("two")], Frames(seen, "echo"));
        Assert.Equal([Hex("UNKNOWNCOMMAND"), Hex("nope.x")], Frames(seen, "unknown"));
        Assert.Equal([Hex("FORBIDDEN_SN"), Hex("REPLY"), tagHex], Frames(seen, "sn"));
        Assert.Equal([Hex("FORBIDDEN"), Hex("REPLY"), tagHex], Frames(seen, "admin"));
        Assert.Equal([Hex("NO_REPLY_TAG"), Hex("test.echo")], Frames(seen, "untagged"));
    }

    [Fact]
    public async Task Our_dialler_passes_libzmq_curve_and_zap_and_presents_its_oxenmq_routing_id()
    {
        var keys = Curve.Generate();
        var portFile = Path.GetTempFileName();
        File.WriteAllText(portFile, "");
        var script = RunPythonAsync("omq_server.py", portFile);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (File.ReadAllText(portFile).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the libzmq server did not start");
            await Task.Delay(50);
        }

        var fields = File.ReadAllText(portFile).Trim().Split(' ');
        using var client = new OxenMq(new OxenMqOptions { CurvePublicKey = keys.Public, CurveSecretKey = keys.Secret }, NullLogger.Instance);
        client.Start();
        var peer = new OmqPeer("tcp://127.0.0.1:" + fields[0], Convert.FromHexString(fields[1]));
        Assert.True(await client.ConnectAsync(peer, AuthLevel.None, TimeSpan.FromSeconds(10)));
        var reply = await client.RequestAsync(peer, "sn.ping", [], TimeSpan.FromSeconds(10));
        Assert.True(reply.Success, reply.Reason);
        Assert.Equal("pong", Encoding.UTF8.GetString(reply.Parts[0]));

        using var output = JsonDocument.Parse(await script);
        var seen = output.RootElement;
        Assert.Equal(keys.Hex, seen.GetProperty("zap_key").GetString());
        Assert.Equal(keys.Hex, seen.GetProperty("user_id").GetString());
        Assert.Equal("4c" + keys.Hex, seen.GetProperty("routing_id").GetString());
        Assert.Equal(Hex("sn.ping"), seen.GetProperty("frames")[0].GetString());
        Assert.Equal(15, Convert.FromHexString(seen.GetProperty("frames")[1].GetString()!).Length);
        File.Delete(portFile);
    }

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

    private static string[] Frames(JsonElement seen, string name) =>
        seen.GetProperty(name).ValueKind == JsonValueKind.Null ? ["(no answer)"] : [.. seen.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    private static async Task<string> RunPythonAsync(string script, params string[] arguments)
    {
        Assert.True(File.Exists(Python), "these tests need Debian's python3-zmq (apt-get install python3-zmq)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Interop", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, await errors);
        return await output;
    }
}
