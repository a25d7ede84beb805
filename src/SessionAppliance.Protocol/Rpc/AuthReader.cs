using System.Text.Json;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>Reads the authentication fields shared by most methods (spec §3.3).</summary>
public static class AuthReader
{
    /// <summary>True when any auth field is present: then verification is forced even where optional.</summary>
    public static bool AnyPresent(RpcParams p) =>
        p.Has("signature") || p.Has("pubkey_ed25519") || p.Has("subaccount") || p.Has("subaccount_sig");

    /// <summary>The auth fields, or null when no signature was sent.</summary>
    public static RequestAuth? Read(RpcParams p, AccountId account)
    {
        var pubkeyEd25519 = p.OptionalHex("pubkey_ed25519", 32);
        if (pubkeyEd25519 is not null && !account.IsSessionId)
        {
            throw RpcException.BadRequest("pubkey_ed25519 is only permitted for 05[...] pubkeys");
        }

        var subaccount = ReadToken(p, "subaccount");
        var subaccountSignature = p.OptionalBase64("subaccount_sig", 64);
        var signature = p.OptionalBase64("signature", 64);
        return signature is null ? null : new RequestAuth(signature, pubkeyEd25519, subaccount, subaccountSignature);
    }

    /// <summary>A 36-byte token as base64 (48 chars) or hex (72 chars).</summary>
    public static SubaccountToken? ReadToken(RpcParams p, string name) =>
        p.Find(name) is { } value ? ParseToken(value, name) : null;

    public static SubaccountToken ParseToken(JsonElement value, string name)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : throw RpcParams.WrongType(name, "string");
        if (text.Length == SubaccountToken.Length * 2 && HexText.TryDecode(text, out var hex))
        {
            return SubaccountToken.FromBytes(hex);
        }

        if (Base64Text.IsEncodingOf(text, SubaccountToken.Length, out var bytes))
        {
            return SubaccountToken.FromBytes(bytes);
        }

        throw RpcParams.WrongType(name, "36-byte subaccount token (base64 or hex)");
    }
}
