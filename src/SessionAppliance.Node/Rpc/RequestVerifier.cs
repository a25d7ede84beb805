using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>Signature and clock checks shared by the methods, with the reference's error texts (spec §3.3).</summary>
public sealed class RequestVerifier(IMessageStore store, ResponseStamp stamp)
{
    public static readonly TimeSpan SignatureWindow = TimeSpan.FromSeconds(60);

    /// <summary>Forwarded delete_all/expire_all get a little longer, for the hop between peers.</summary>
    public static readonly TimeSpan PeerBulkWindow = TimeSpan.FromSeconds(70);

    public long NowMs => stamp.NowMs;

    public bool WithinWindow(long timestampMs, TimeSpan window) => Math.Abs(timestampMs - NowMs) <= (long)window.TotalMilliseconds;

    /// <summary>Verifies or throws 401 with <paramref name="failureText"/>; returns the granted permissions.</summary>
    public SubaccountFlags Verify(string failureText, AccountId account, RequestAuth? auth, byte[] signedMessage,
        SubaccountFlags required, bool checkRevocation = true)
    {
        if (auth is null)
        {
            throw RpcException.Unauthorized(failureText);
        }

        return RequestAuthenticator.Verify(account, auth, signedMessage, required,
                token => checkRevocation && store.IsRevoked(account, token.Bytes))
            ?? throw RpcException.Unauthorized(failureText);
    }
}
