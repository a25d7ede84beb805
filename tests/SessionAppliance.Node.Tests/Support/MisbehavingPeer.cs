using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>An HTTPS server at a listed node's port that answers swarm requests badly, in one chosen way.</summary>
public sealed class MisbehavingPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MisbehavingPeer(WebApplication app) => _app = app;

    public enum Behaviour
    {
        /// <summary>Accepts the request and never answers.</summary>
        Hang,

        /// <summary>Answers 200 with text that is not JSON and no signature.</summary>
        Garbage,

        /// <summary>Answers a well-formed entry, signed with a key that is not the listed node's.</summary>
        WrongKey,
    }

    public static async Task<MisbehavingPeer> StartAsync(int port, Behaviour behaviour, string impersonatedEd25519Hex)
    {
        var directory = Directory.CreateTempSubdirectory("sa-peer-").FullName;
        var certificate = TlsCertificateStore.LoadOrCreate(directory, TimeProvider.System);
        Directory.Delete(directory, recursive: true);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var stranger = NodeKeys.FromSeed(Sodium.SodiumCore.GetRandomBytes(32));
        app.MapPost(SwarmReplicator.Path, async context =>
        {
            switch (behaviour)
            {
                case Behaviour.Hang:
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return;
                case Behaviour.Garbage:
                    await context.Response.WriteAsync("}{ definitely not json");
                    return;
                default:
                    var body = System.Text.Encoding.UTF8.GetBytes("{\"swarm\":{\"" + impersonatedEd25519Hex + "\":{\"hash\":\"forged\",\"t\":0}}}");
                    var sender = Protocol.Codecs.HexText.Decode(context.Request.Headers[PeerSignature.SenderHeader].ToString());
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    context.Response.Headers[PeerSignature.TimestampHeader] = now.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    context.Response.Headers[PeerSignature.SignatureHeader] = Convert.ToBase64String(PeerSignature.Sign(stranger, PeerSignature.AnswerPath(SwarmReplicator.Path, long.Parse(context.Request.Headers[PeerSignature.TimestampHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture)), now, sender, body));
                    await context.Response.Body.WriteAsync(body);
                    return;
            }
        });
        await app.StartAsync();
        return new MisbehavingPeer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
