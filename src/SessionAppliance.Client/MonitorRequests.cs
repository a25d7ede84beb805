using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Monitor;

namespace SessionAppliance.Client;

/// <summary>
/// What a push server sends as <c>monitor.messages</c>: a Session ID names itself by its Ed25519 key (<c>P</c>),
/// any other account by its 33 bytes (<c>p</c>); the signature covers account, time, data flag and namespaces.
/// </summary>
public static class MonitorRequests
{
    public static BtDict Subscribe(AccountKeys keys, short[] namespaces, bool wantData, long nowSeconds)
    {
        var dict = new BtDict()
            .Set("n", new BtList([.. namespaces.Select(n => BtValue.From(n))]))
            .Set("s", BtValue.From(keys.Sign(MonitorRequest.SignedText(keys.Account, nowSeconds, wantData, namespaces))))
            .Set("t", BtValue.From(nowSeconds));
        dict = keys.PubkeyEd25519Hex is null
            ? dict.Set("p", BtValue.From(keys.Account.Bytes))
            : dict.Set("P", BtValue.From(keys.SigningKeys.PublicKey));
        return wantData ? dict.Set("d", BtValue.From(1)) : dict;
    }
}
