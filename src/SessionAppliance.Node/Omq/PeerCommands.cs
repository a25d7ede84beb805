using System.Text;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Hosting;
using SessionAppliance.Node.Onion;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Storage;
using SessionAppliance.Node.Swarm;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Node.Omq;

/// <summary>
/// The <c>sn.*</c> commands the reference serves to other service nodes (spec §2, §4.3, §5.4–5.6), with its
/// request and answer layouts. oxen-mq has already refused callers whose key is not an active node's.
/// </summary>
public sealed class PeerCommands(
    ClientRpcDispatcher dispatcher, OnionEndpoint onion, SwarmPushEndpoint push, IMessageStore store, INetworkViewSource network,
    NodeReadiness readiness, NodeKeys keys, ReachabilityMonitor reachability, TimeProvider time)
{
    /// <summary>The reference's storage-test patience: look again every 50 ms for 55 s (its 60 s timeout, less a margin).</summary>
    private static readonly TimeSpan TestRetryInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan TestRetryPeriod = TimeSpan.FromSeconds(55);

    /// <summary>Tests waiting for their message at once; more are answered from one look, so a peer cannot pile up pollers.</summary>
    private readonly SemaphoreSlim _waitingTests = new(32);

    public void Register(OxenMq.OxenMq omq)
    {
        omq.AddCategory("sn", new Access(AuthLevel.None, RemoteServiceNode: true), maxQueued: 1000);
        omq.AddRequestCommand("sn", "ping", Ping);
        omq.AddRequestCommand("sn", "storage_cc", StorageCcAsync);
        omq.AddRequestCommand("sn", "data", DataAsync);
        omq.AddRequestCommand("sn", "onion_request", OnionRequestAsync);
        omq.AddRequestCommand("sn", "storage_test", StorageTestAsync);
    }

    private Task<IReadOnlyList<byte[]>?> Ping(OmqMessage message)
    {
        reachability.ReachedByPeer();
        return Task.FromResult<IReadOnlyList<byte[]>?>(["pong"u8.ToArray()]);
    }

    /// <summary>A client request forwarded by the swarm member that took it: <c>[method, params]</c>; answers this node's own entry.</summary>
    private async Task<IReadOnlyList<byte[]>?> StorageCcAsync(OmqMessage message)
    {
        if (message.Parts.Count < 2)
        {
            return null; // The reference only logs it; the sender times out.
        }

        if (message.Parts.Count > 2)
        {
            return OmqReplies.Error(400, $"Invalid request: expected 2 message parts, received {message.Parts.Count}");
        }

        var method = Encoding.UTF8.GetString(message.Parts[0]);
        if (!dispatcher.Knows(method))
        {
            return null;
        }

        if (!dispatcher.IsForwarded(method))
        {
            return OmqReplies.Error(400, "invalid request: received invalid forwarded non-forwardable request");
        }

        if (OmqRequestBody.Read(method, [message.Parts[1]]) is not { } request)
        {
            return OmqReplies.Error(400, OmqRequestBody.Unreadable);
        }

        var response = await dispatcher.DispatchBodyAsync(request.Body, fromSwarmPeer: true, CancellationToken.None).ConfigureAwait(false);
        if (response.Json?["swarm"]?[keys.Ed25519Hex] is JsonObject entry)
        {
            var body = request.Bt ? BtWriter.Encode(BtJson.FromJson(entry)) : Encoding.UTF8.GetBytes(entry.ToJsonString());
            return response.IsSuccess ? [body] : [OmqReplies.Code(response.Status), body];
        }

        return OmqReplies.Of(response, request.Bt);
    }

    /// <summary>Messages pushed to us after a swarm change: byte 1, then a bt list of <c>[account, hash, timestamp, expiry, data]</c>.</summary>
    private async Task<IReadOnlyList<byte[]>?> DataAsync(OmqMessage message)
    {
        var blob = message.Parts.SelectMany(p => p).ToArray();
        if (ReplicationBatch.Decode(blob) is { } messages)
        {
            await push.AcceptAsync(messages, CancellationToken.None).ConfigureAwait(false);
        }

        return []; // The reference answers with no parts, stored or not.
    }

    private async Task<IReadOnlyList<byte[]>?> OnionRequestAsync(OmqMessage message)
    {
        if (!readiness.IsReady)
        {
            return OmqReplies.Error(503, "Snode not ready: " + keys.Ed25519Hex);
        }

        if (message.Parts.Count != 1 || !BtReader.TryParse(message.Parts[0], out var parsed) || parsed is not BtDict request
            || request["data"]?.AsBytes() is not { } data || request["ephemeral_key"]?.AsBytes() is not { Length: 32 } ephemeralKey)
        {
            return OmqReplies.Error(400, "Invalid internal onion request: expected a bt dict with data and ephemeral_key");
        }

        var cipher = OnionCipher.AesGcm;
        if (request["enc_type"] is { } encType && !OnionCipherNames.TryParse(encType.AsUtf8(), out cipher))
        {
            return OmqReplies.Error(400, "Invalid internal onion request: unknown enc_type");
        }

        var hop = request["hop_no"]?.AsInteger() ?? 1;
        if (hop > OnionEndpoint.MaxHopNumber)
        {
            return OmqReplies.Error(400, "onion request max path length exceeded");
        }

        var answer = await onion.ProcessLayerAsync(data, ephemeralKey, cipher, (int)Int128.Max(hop, 1), CancellationToken.None).ConfigureAwait(false);
        return [OmqReplies.Code(answer.Status), answer.Body];
    }

    /// <summary>
    /// <c>[height, hash]</c> from an active node, the hash as 64 bytes (hex) or 32 (unpadded base64), answered
    /// <c>["OK", data]</c> once the message is here, else <c>["other"]</c> after the retry period, with the
    /// reference's texts for bad input. The reference's tester/testee draw from the block hash is not checked.
    /// </summary>
    private async Task<IReadOnlyList<byte[]>?> StorageTestAsync(OmqMessage message)
    {
        static IReadOnlyList<byte[]> Text(string text) => [Encoding.ASCII.GetBytes(text)];

        if (message.Parts.Count < 2)
        {
            return Text("invalid parameters");
        }

        var sender = Convert.ToHexStringLower(message.SenderKey);
        if (!network.Current.Nodes.Any(n => n.X25519Hex == sender))
        {
            return Text("invalid pubkey");
        }

        if (!ulong.TryParse(message.Parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var height) || height == 0)
        {
            return Text("invalid height");
        }

        var raw = message.Parts[1];
        var hash = raw.Length switch
        {
            64 => Convert.ToHexStringLower(raw),
            32 => Convert.ToBase64String(raw).TrimEnd('='),
            _ => null,
        };
        if (hash is null)
        {
            return Text("invalid msg hash");
        }

        var found = store.Find(hash);
        if (found is null && await _waitingTests.WaitAsync(0).ConfigureAwait(false))
        {
            try
            {
                var started = time.GetTimestamp();
                while (found is null && time.GetElapsedTime(started) < TestRetryPeriod)
                {
                    await Task.Delay(TestRetryInterval, time).ConfigureAwait(false);
                    found = store.Find(hash);
                }
            }
            finally
            {
                _waitingTests.Release();
            }
        }

        return found is null ? Text("other") : ["OK"u8.ToArray(), found.Data];
    }
}
