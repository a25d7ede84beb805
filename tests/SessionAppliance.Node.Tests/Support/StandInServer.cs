using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>
/// Stands in for a Session open group / file server on loopback HTTP: it opens the layer meant for it with
/// its own X25519 key and answers "echo:" + the request, sealed for the client.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandInServer(WebApplication app, int port, byte[] x25519)
    {
        _app = app;
        Port = port;
        X25519PublicKey = x25519;
    }

    public int Port { get; }

    public byte[] X25519PublicKey { get; }

    public int RequestsSeen { get; private set; }

    /// <summary>The User-Agent and Content-Type of the last request, as the proxying node sent them.</summary>
    public (string UserAgent, string? ContentType) LastHeaders { get; private set; }

    public static async Task<StandInServer> StartAsync()
    {
        var secret = Sodium.SodiumCore.GetRandomBytes(32);
        var publicKey = Sodium.ScalarMult.Base(secret);
        var deriver = new HopKeyDeriver(secret, publicKey);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StandInServer? server = null;
        app.MapPost("/oxen/v4/lsrpc", async context =>
        {
            server!.RequestsSeen++;
            server.LastHeaders = (context.Request.Headers.UserAgent.ToString(), context.Request.ContentType);
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            if (!OnionPayload.TryParse(buffer.ToArray(), out var payload, out _)
                || deriver.Derive(payload.Cipher, payload.EphemeralKey) is not { } key
                || HopCrypto.Decrypt(key, payload.Ciphertext.Span) is not { } request)
            {
                context.Response.StatusCode = 400;
                return;
            }

            var reply = HopCrypto.Encrypt(key, [.. "echo:"u8, .. request]);
            await context.Response.WriteAsync(Convert.ToBase64String(reply));
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        server = new StandInServer(app, port, publicKey);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
