using System.Text.Json;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Onion;

/// <summary>
/// What a decrypted layer asks this node to do (spec §4.3): plaintext = <c>[u32 LE N][inner][JSON control]</c>.
/// "headers" → final destination; else "host" → proxy; else relay to "destination".
/// </summary>
public abstract record OnionInstruction
{
    /// <summary>Run the client RPC in <paramref name="Request"/>; reply JSON as an object or a string, base64 or raw.</summary>
    public sealed record FinalDestination(ReadOnlyMemory<byte> Request, bool Json, bool Base64) : OnionInstruction;

    /// <summary>POST the whole decrypted plaintext to an external server and pass its answer back.</summary>
    public sealed record Proxy(string Host, string Target, string Protocol, int Port, ReadOnlyMemory<byte> Plaintext) : OnionInstruction;

    /// <summary>Forward <paramref name="Layer"/> to the node with this Ed25519 key.</summary>
    public sealed record Relay(byte[] Destination, byte[] EphemeralKey, OnionCipher Cipher, ReadOnlyMemory<byte> Layer) : OnionInstruction;

    /// <summary>Parses a decrypted layer; on failure <paramref name="error"/> is "Invalid json" or "Invalid url".</summary>
    public static bool TryParse(ReadOnlyMemory<byte> plaintext, out OnionInstruction instruction, out string error)
    {
        instruction = null!;
        error = "Invalid json";
        if (!LengthPrefixed.TrySplit(plaintext, out var inner, out var controlBytes) || !System.Text.Unicode.Utf8.IsValid(controlBytes.Span))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(controlBytes);
            var control = document.RootElement;
            if (control.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (control.TryGetProperty("headers", out _))
            {
                // Flags that are present must be booleans (nlohmann's get<bool>), or the layer is invalid.
                if (!TryFlag(control, "json", false, out var json) || !TryFlag(control, "base64", true, out var base64))
                {
                    return false;
                }

                instruction = new FinalDestination(inner, json, base64);
                return true;
            }

            if (control.TryGetProperty("host", out var host))
            {
                return TryProxy(control, host, plaintext, out instruction, out error);
            }

            return TryRelay(control, inner, out instruction);
        }
        catch (Exception thrown) when (thrown is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an escaped lone surrogate, which System.Text.Json throws on only when read.
            return false;
        }
    }

    /// <summary>Allowed proxy targets start with /loki/ or /oxen/, end with /lsrpc and carry no query.</summary>
    public static bool IsAllowedTarget(string target) =>
        (target.StartsWith("/loki/", StringComparison.Ordinal) || target.StartsWith("/oxen/", StringComparison.Ordinal))
        && target.EndsWith("/lsrpc", StringComparison.Ordinal)
        && !target.Contains('?', StringComparison.Ordinal);

    /// <summary>
    /// The reference's reading: host, target and protocol must be strings and port a number or boolean (cast to
    /// 16 bits as C++ does), else "Invalid json"; a protocol other than http(s) or a disallowed target is
    /// "Invalid url". An empty host is refused as "Invalid url" too, where the reference would try to reach it.
    /// </summary>
    private static bool TryProxy(JsonElement control, JsonElement host, ReadOnlyMemory<byte> plaintext, out OnionInstruction instruction, out string error)
    {
        instruction = null!;
        var port = 443;
        if (host.ValueKind != JsonValueKind.String
            || !control.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.String
            || (control.TryGetProperty("port", out var portElement) && NlohmannErrors.CastToInt(portElement) is not { } given)
            || (control.TryGetProperty("protocol", out var protocolElement) && protocolElement.ValueKind != JsonValueKind.String))
        {
            error = "Invalid json";
            return false;
        }

        if (control.TryGetProperty("port", out portElement))
        {
            port = unchecked((ushort)NlohmannErrors.CastToInt(portElement)!.Value);
        }

        error = "Invalid url";
        var protocol = control.TryGetProperty("protocol", out protocolElement) ? protocolElement.GetString()! : "https";
        if (host.GetString() is not { Length: > 0 } hostName || protocol is not ("http" or "https") || !IsAllowedTarget(target.GetString()!))
        {
            return false;
        }

        instruction = new Proxy(hostName, target.GetString()!, protocol, port, plaintext);
        return true;
    }

    private static bool TryRelay(JsonElement control, ReadOnlyMemory<byte> inner, out OnionInstruction instruction)
    {
        instruction = null!;
        if (!TryHex32(control, "destination", out var destination) || !TryHex32(control, "ephemeral_key", out var ephemeral))
        {
            return false;
        }

        var cipher = OnionCipher.AesGcm;
        if (control.TryGetProperty("enc_type", out var e) && (e.ValueKind != JsonValueKind.String || !OnionCipherNames.TryParse(e.GetString(), out cipher)))
        {
            return false;
        }

        instruction = new Relay(destination, ephemeral, cipher, inner);
        return true;
    }

    private static bool TryHex32(JsonElement control, string name, out byte[] bytes)
    {
        bytes = [];
        return control.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && HexKey.Describe(value.GetString()!, out bytes) is null;
    }

    private static bool TryFlag(JsonElement control, string name, bool fallback, out bool flag)
    {
        flag = fallback;
        if (!control.TryGetProperty(name, out var value))
        {
            return true;
        }

        flag = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False;
    }
}
