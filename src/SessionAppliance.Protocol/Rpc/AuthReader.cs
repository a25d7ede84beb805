using System.Text.Json;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Rpc;

/// <summary>Reads the authentication fields as the reference parses them (spec §3.3), with its error texts.</summary>
public static class AuthReader
{
    /// <summary>The auth field types, for a method's <see cref="RpcParams.CheckTypes"/> list.</summary>
    public static readonly (string, FieldType)[] Fields =
    [
        ("pubkey_ed25519", FieldType.String),
        ("signature", FieldType.String),
        ("subaccount", FieldType.String),
        ("subaccount_sig", FieldType.String),
    ];

    /// <summary>A required signature, pubkey_ed25519 if given, and a subaccount if the method accepts one.</summary>
    public static RequestAuth Read(RpcParams p, AccountId account, bool acceptSubaccount = true)
    {
        var signatureText = p.OptionalString("signature") ?? throw RpcParams.Missing("signature");
        var pubkeyEd25519 = ReadPubkeyEd25519(p, account);
        if (!Base64Text.IsEncodingOf(signatureText, Ed25519Signature, out var signature))
        {
            throw RpcException.InvalidRequest("invalid signature: expected base64 encoded Ed25519 signature");
        }

        var (token, tokenSignature) = acceptSubaccount ? ReadSubaccount(p) : (null, null);
        return new RequestAuth(signature, pubkeyEd25519, token, tokenSignature);
    }

    /// <summary>
    /// A 36-byte token as 48 base64 characters or 72 hex digits; null for anything else. Base64 is tried first,
    /// and 48 characters ending in one or two '=' decode to 35 or 34 bytes, which the reference writes into a
    /// zeroed 36-byte token and accepts: so do we.
    /// </summary>
    public static SubaccountToken? TryParseToken(string text)
    {
        if (text.Length == 48 && Base64Text.TryDecode(text, out var bytes))
        {
            var token = new byte[SubaccountToken.Length];
            bytes.CopyTo(token, 0);
            return SubaccountToken.FromBytes(token);
        }

        return text.Length == 72 && HexText.TryDecode(text, out var hex) ? SubaccountToken.FromBytes(hex) : null;
    }

    private const int Ed25519Signature = 64;

    private static byte[]? ReadPubkeyEd25519(RpcParams p, AccountId account)
    {
        if (p.OptionalString("pubkey_ed25519") is not { } text)
        {
            return null;
        }

        if (!account.IsSessionId)
        {
            throw RpcException.InvalidRequest("pubkey_ed25519 is only permitted for 05[...] pubkeys");
        }

        if (text.Length == 64)
        {
            return HexText.TryDecode(text, out var key) ? key : throw RpcException.InvalidRequest("invalid pubkey_ed25519: value is not hex");
        }

        var raw = System.Text.Encoding.UTF8.GetBytes(text);
        return raw.Length == 32 ? raw : throw RpcException.InvalidRequest("Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey");
    }

    /// <summary>Skipped when "subaccount" is absent or empty; then "subaccount_sig" is required.</summary>
    private static (SubaccountToken?, byte[]?) ReadSubaccount(RpcParams p)
    {
        if (p.OptionalString("subaccount") is not { Length: > 0 } tokenText)
        {
            return (null, null);
        }

        var signatureText = p.OptionalString("subaccount_sig")
            ?? throw RpcException.InvalidRequest("invalid subaccount: subaccount_sig is required when using subaccount");
        var token = TryParseToken(tokenText)
            ?? throw RpcException.InvalidRequest("invalid subaccount: expected base64 or hex-encoded subaccount token");
        return Base64Text.IsEncodingOf(signatureText, Ed25519Signature, out var signature)
            ? (token, signature)
            : throw RpcException.InvalidRequest("invalid subaccount signature: expected base64 encoded Ed25519 signature");
    }
}
