using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Client.Onion;

/// <summary>
/// Builds onion requests as Session clients do (spec §4.5): the innermost layer for the destination, then one
/// layer per relay naming the next hop, each encrypted to that hop's X25519 key with a fresh ephemeral key.
/// </summary>
public static class OnionRequestBuilder
{
    /// <param name="path">Guard first; the destination is not part of the path.</param>
    /// <param name="desktopStyle">Omit enc_type everywhere, as session-desktop does (AES-GCM only).</param>
    public static OnionRequest ToNode(IReadOnlyList<OnionHop> path, OnionHop destination, JsonObject rpc, OnionCipher cipher, bool desktopStyle = false)
    {
        var control = new JsonObject { ["headers"] = new JsonObject() };
        var request = System.Text.Encoding.UTF8.GetBytes(rpc.ToJsonString());
        var (blob, ephemeral, key) = Seal(destination.X25519, LengthPrefixed.Join(request, Json(control)), cipher);
        return Wrap(path, destination.Ed25519, blob, ephemeral, key, cipher, desktopStyle);
    }

    /// <param name="path">Guard first; the last hop proxies to the server.</param>
    public static OnionRequest ToServer(IReadOnlyList<OnionHop> path, OnionServerTarget server, byte[] request, OnionCipher cipher)
    {
        var (blob, ephemeral, key) = Seal(server.X25519, request, cipher);
        var control = new JsonObject
        {
            ["host"] = server.Host,
            ["target"] = server.Target,
            ["method"] = "POST",
            ["protocol"] = server.Protocol,
            ["port"] = server.Port,
            ["ephemeral_key"] = HexText.Encode(ephemeral),
            ["enc_type"] = OnionCipherNames.WireName(cipher),
        };
        var (lastBlob, lastEphemeral, _) = Seal(path[^1].X25519, LengthPrefixed.Join(blob, Json(control)), cipher);
        return Wrap(path.Take(path.Count - 1).ToList(), path[^1].Ed25519, lastBlob, lastEphemeral, key, cipher, desktopStyle: false);
    }

    /// <summary>One layer holding any plaintext, for a node to peel: how tests and fuzzers reach the layer parser.</summary>
    public static OnionRequest OneLayer(OnionHop hop, byte[] plaintext, OnionCipher cipher)
    {
        var (blob, ephemeral, key) = Seal(hop.X25519, plaintext, cipher);
        return new OnionRequest(OnionPayload.Build(blob, ephemeral, cipher, hopNumber: null), key);
    }

    private static OnionRequest Wrap(IReadOnlyList<OnionHop> path, byte[] nextEd25519, byte[] blob, byte[] ephemeral, HopKey replyKey, OnionCipher cipher, bool desktopStyle)
    {
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var control = new JsonObject
            {
                ["destination"] = HexText.Encode(nextEd25519),
                ["ephemeral_key"] = HexText.Encode(ephemeral),
            };
            if (!desktopStyle)
            {
                control["enc_type"] = OnionCipherNames.WireName(cipher);
            }

            (blob, ephemeral, _) = Seal(path[i].X25519, LengthPrefixed.Join(blob, Json(control)), cipher);
            nextEd25519 = path[i].Ed25519;
        }

        return new OnionRequest(OnionPayload.Build(blob, ephemeral, desktopStyle ? null : cipher, hopNumber: null), replyKey);
    }

    /// <summary>Encrypts to a hop with a fresh ephemeral key; returns the blob, the ephemeral public key and the hop key.</summary>
    private static (byte[] Blob, byte[] Ephemeral, HopKey Key) Seal(byte[] hopX25519, byte[] plaintext, OnionCipher cipher)
    {
        var (ephemeral, secret) = X25519.Generate();
        if (!X25519.TrySharedSecret(secret, hopX25519, out var shared))
        {
            throw new ArgumentException("the hop's X25519 key is not usable (wrong length or low order)", nameof(hopX25519));
        }

        var key = HopKey.Derive(cipher, shared, ephemeral, hopX25519);
        return (HopCrypto.Encrypt(key, plaintext), ephemeral, key);
    }

    private static byte[] Json(JsonObject json) => System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
}
