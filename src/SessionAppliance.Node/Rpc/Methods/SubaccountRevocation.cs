using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>Shared parsing and checks of revoke_subaccount / unrevoke_subaccount (spec §3.4); owner-signed only.</summary>
internal static class SubaccountRevocation
{
    public const int MaxTokensPerRevoke = 50;

    /// <summary>revoke_subaccount reads "revoke" then "timestamp"; unrevoke_subaccount the other way round.</summary>
    public static (AccountId Account, RequestAuth Auth, long Timestamp, List<byte[]> Tokens) Read(RpcParams p, string listField)
    {
        p.CheckTypes([("pubkey", FieldType.String), ("pubkey_ed25519", FieldType.String), ("signature", FieldType.String),
            ("timestamp", FieldType.Timestamp), (listField, FieldType.StringArray)]);
        var account = p.RequireAccount();
        var auth = AuthReader.Read(p, account, acceptSubaccount: false);
        if (listField == "unrevoke")
        {
            var when = p.RequireTimestamp("timestamp");
            return (account, auth, when, ReadTokens(p, listField));
        }

        var tokens = ReadTokens(p, listField);
        return (account, auth, p.RequireTimestamp("timestamp"), tokens);
    }

    public static void Verify(RequestVerifier verifier, string method, AccountId account, RequestAuth auth, long timestamp, List<byte[]> tokens)
    {
        if (!verifier.WithinWindow(timestamp, RequestVerifier.SignatureWindow))
        {
            throw new RpcException(406, method + " timestamp too far from current time");
        }

        verifier.Verify(method + " signature verification failed", account, auth, SignedMessages.Revocation(method, timestamp, tokens), SubaccountFlags.None);
    }

    private static List<byte[]> ReadTokens(RpcParams p, string listField)
    {
        var texts = p.OptionalStringList(listField) ?? throw RpcParams.Missing(listField);
        if (listField == "revoke" && texts.Count > MaxTokensPerRevoke)
        {
            throw RpcException.InvalidRequest($"invalid revoke: cannot revoke more than {MaxTokensPerRevoke} subaccounts at once");
        }

        return [.. texts.Select(text => AuthReader.TryParseToken(text)?.Bytes
            ?? throw RpcException.InvalidRequest($"invalid {listField}: expected base64 or hex-encoded subaccount tag"))];
    }
}
