using SessionAppliance.Node.Bandwidth;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Onion;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// <c>POST /onion_req/v2</c> (spec §4): peel one layer with one X25519, then act as final destination,
/// proxy or relay. Only the final destination sees the request; a relay sees ciphertext and the next hop.
/// </summary>
public sealed partial class OnionEndpoint(
    HopKeyDeriver keys,
    ClientRpcDispatcher dispatcher,
    INetworkViewSource network,
    OnionHopSender hops,
    ProxyForwarder proxy,
    NodeReadiness readiness,
    BandwidthGovernor bandwidth,
    RequestBodyReader bodies,
    OnionRateLimiter rateLimiter,
    RequestCounters counters,
    IOptions<OnionOptions> options,
    ILogger<OnionEndpoint> logger)
{
    public const int MaxHopNumber = 15;

    public async Task HandleAsync(HttpContext context)
    {
        HttpBody.DisableKestrelBodyLimit(context);
        if (!readiness.IsReady)
        {
            // The reference's HTTPS server checks readiness before any route, with the storage RPC's text.
            await HttpBody.WriteTextAsync(context, 503, "Service node is not ready: " + readiness.Reasons + "\n").ConfigureAwait(false);
            return;
        }

        if (bandwidth.Refusal(TrafficClass.Onion) is { } refusal)
        {
            await HttpBody.WriteTextAsync(context, 503, refusal).ConfigureAwait(false);
            return;
        }

        if (!AdmitSource(context.Connection.RemoteIpAddress))
        {
            await HttpBody.WriteStatusAsync(context, 429).ConfigureAwait(false);
            return;
        }

        if (await bodies.ReadAsync(context).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        if (!OnionPayload.TryParse(body, out var payload, out var parseError))
        {
            await HttpBody.WriteTextAsync(context, 400, parseError).ConfigureAwait(false);
            return;
        }

        // Decrypt inside the request buffer: the body is the only payload-sized allocation of a hop.
        var answer = await ProcessLayerAsync(MemoryMarshal.AsMemory(payload.Ciphertext), payload.EphemeralKey, payload.Cipher, payload.HopNumber, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, answer.Status, answer.ContentType, answer.Body).ConfigureAwait(false);
    }

    /// <summary>
    /// One onion layer, whichever way it arrived (HTTPS <c>/onion_req/v2</c> or OxenMQ <c>sn.onion_request</c>):
    /// decrypted in place, then answered as final destination, proxied, or relayed to the next node.
    /// </summary>
    public async Task<HopAnswer> ProcessLayerAsync(Memory<byte> ciphertext, byte[] ephemeralKey, OnionCipher cipher, int hopNumber, CancellationToken cancellationToken)
    {
        counters.Count(RequestClass.Onion);
        if (keys.Derive(cipher, ephemeralKey) is not { } key
            || HopCrypto.DecryptInPlace(key, ciphertext.Span) is not { } plaintextRange)
        {
            return HopAnswer.Text(400, "Invalid ciphertext");
        }

        var plaintext = ciphertext[plaintextRange];
        if (!OnionInstruction.TryParse(plaintext, out var instruction, out var instructionError))
        {
            // Sealed like any destination answer, {"body","status":400}, and sent with 200 as the reference does.
            return HopAnswer.Sealed(OnionReply.Seal(RpcResponse.Error(400, instructionError), key, asJsonObject: false, base64: true));
        }

        switch (instruction)
        {
            case OnionInstruction.FinalDestination final:
                var response = await dispatcher.DispatchBodyAsync(final.Request, fromSwarmPeer: false, cancellationToken).ConfigureAwait(false);
                return HopAnswer.Sealed(OnionReply.Seal(response, key, final.Json, final.Base64));
            case OnionInstruction.Proxy external:
                var answer = bandwidth.Refusal(TrafficClass.Proxy) is { } shed
                    ? new ProxyForwarder.ProxyAnswer(503, "text/plain", System.Text.Encoding.UTF8.GetBytes(shed))
                    : await proxy.ForwardAsync(external, cancellationToken).ConfigureAwait(false);
                return new HopAnswer(answer.Status, answer.ContentType, answer.Body);
            case OnionInstruction.Relay relay:
                return await RelayAsync(relay, hopNumber, cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException("unknown onion instruction");
        }
    }

    /// <summary>Listed nodes relay for everyone and are never limited by address; any other source has a bucket.</summary>
    private bool AdmitSource(System.Net.IPAddress? source)
    {
        if (source is null)
        {
            return false;
        }

        source = source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        return !rateLimiter.Enabled || network.Current.ListsAddress(source) || rateLimiter.TryAcquire(source);
    }

    private async Task<HopAnswer> RelayAsync(OnionInstruction.Relay relay, int hopNumber, CancellationToken cancellationToken)
    {
        if (network.Current.FindByEd25519(relay.Destination) is not { } next)
        {
            return HopAnswer.Text(502, "Next node not found: " + HexText.Encode(relay.Destination));
        }

        // The reference's next node refuses a hop number past the limit; ours is refused here, after the lookup.
        if (hopNumber + 1 > MaxHopNumber)
        {
            return HopAnswer.Text(400, "onion request max path length exceeded");
        }

        LogRelaying(hopNumber);
        var answer = await hops.SendAsync(next, relay.Layer, relay.EphemeralKey, relay.Cipher, hopNumber + 1, options.Value.RelayTimeout, cancellationToken).ConfigureAwait(false);

        // As the reference relays: no answer at all is a 504 "Request time out"; an answer keeps its status when
        // it is one the reference knows (others become 500) and is passed on as text.
        return answer is not { } delivered
            ? HopAnswer.Text(504, "Request time out")
            : new HopAnswer(RelayedStatus(delivered.Status), "text/plain", delivered.Body);
    }

    private static int RelayedStatus(int status) =>
        status is 200 or 400 or 401 or 403 or 404 or 406 or 410 or 413 or 421 or 429 or 502 or 503 or 504 ? status : 500;

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] body) =>
        HttpBody.WriteAsync(context, status, contentType, body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relaying an onion layer, hop {Hop}")]
    private partial void LogRelaying(int hop);
}
