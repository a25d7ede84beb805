using System.Text.Json;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>Shared parsing and checks of revoke_subaccount / unrevoke_subaccount (spec §3.4).</summary>
internal static class SubaccountRevocation
{
    public const int MaxTokensPerRequest = 50;

    public static (AccountId Account, long Timestamp, List<byte[]> Tokens) Read(RpcParams p, string listField)
    {
        var account = p.RequireAccount();
        var value = p.Require(listField);
        var tokens = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => AuthReader.ParseToken(item, listField).Bytes).ToList()
            : [AuthReader.ParseToken(value, listField).Bytes];
        if (tokens.Count is 0 or > MaxTokensPerRequest)
        {
            throw RpcException.InvalidRequest($"'{listField}' must hold 1 to {MaxTokensPerRequest} subaccount tokens");
        }

        return (account, p.RequireTimestamp("timestamp"), tokens);
    }

    /// <summary>Owner-only: a subaccount can never revoke or unrevoke.</summary>
    public static void Verify(RpcParams p, RequestVerifier verifier, string method, AccountId account, long timestamp, List<byte[]> tokens)
    {
        if (p.Has("subaccount"))
        {
            throw RpcException.Unauthorized(method + " signature verification failed");
        }

        if (!verifier.WithinWindow(timestamp, RequestVerifier.SignatureWindow))
        {
            throw new RpcException(406, method + " timestamp too far from current time");
        }

        verifier.Verify(method, account, AuthReader.Read(p, account), SignedMessages.Revocation(method, timestamp, tokens), SubaccountFlags.None);
    }
}
