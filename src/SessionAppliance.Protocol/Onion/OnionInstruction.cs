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
        if (!LengthPrefixed.TrySplit(plaintext, out var inner, out var controlBytes))
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
                instruction = new FinalDestination(inner, Flag(control, "json", false), Flag(control, "base64", true));
                return true;
            }

            if (control.TryGetProperty("host", out var host))
            {
                return TryProxy(control, host, plaintext, out instruction, out error);
            }

            return TryRelay(control, inner, out instruction);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Allowed proxy targets start with /loki/ or /oxen/, end with /lsrpc and carry no query.</summary>
    public static bool IsAllowedTarget(string target) =>
        (target.StartsWith("/loki/", StringComparison.Ordinal) || target.StartsWith("/oxen/", StringComparison.Ordinal))
        && target.EndsWith("/lsrpc", StringComparison.Ordinal)
        && !target.Contains('?', StringComparison.Ordinal);

    private static bool TryProxy(JsonElement control, JsonElement host, ReadOnlyMemory<byte> plaintext, out OnionInstruction instruction, out string error)
    {
        instruction = null!;
        error = "Invalid url";
        var target = control.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        var protocol = control.TryGetProperty("protocol", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "https";
        var port = 443;
        if (control.TryGetProperty("port", out var portElement) && (!portElement.TryGetInt32(out port) || port is < 1 or > 65535))
        {
            return false;
        }

        if (host.ValueKind != JsonValueKind.String || host.GetString() is not { Length: > 0 } hostName
            || protocol is not ("http" or "https") || !IsAllowedTarget(target))
        {
            return false;
        }

        instruction = new Proxy(hostName, target, protocol, port, plaintext);
        return true;
    }

    private static bool TryRelay(JsonElement control, ReadOnlyMemory<byte> inner, out OnionInstruction instruction)
    {
        instruction = null!;
        if (!TryHex32(control, "destination", out var destination) || !TryHex32(control, "ephemeral_key", out var ephemeral))
        {
            return false;
        }

        var cipherName = control.TryGetProperty("enc_type", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (!OnionCipherNames.TryParse(cipherName, out var cipher))
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
            && value.GetString() is { Length: 64 } hex && HexText.TryDecode(hex, out bytes);
    }

    private static bool Flag(JsonElement control, string name, bool fallback) =>
        control.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.True || (value.ValueKind != JsonValueKind.False && fallback) : fallback;
}
