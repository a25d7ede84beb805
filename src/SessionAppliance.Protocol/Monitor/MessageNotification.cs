using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Bencode;

namespace SessionAppliance.Protocol.Monitor;

/// <summary>
/// The body of a <c>notify.message</c> push (spec §2): a bt dict with the account (<c>@</c>, 33 bytes), hash
/// (<c>h</c>), namespace (<c>n</c>), timestamp (<c>t</c>) and expiry (<c>z</c>) in ms, and the data (<c>~</c>)
/// for subscribers that asked for it.
/// </summary>
public static class MessageNotification
{
    public static byte[] Encode(AccountId account, string hash, short ns, long timestampMs, long expiryMs, byte[]? data)
    {
        var dict = new BtDict()
            .Set("@", BtValue.From(account.Bytes))
            .Set("h", BtValue.From(hash))
            .Set("n", BtValue.From(ns))
            .Set("t", BtValue.From(timestampMs))
            .Set("z", BtValue.From(expiryMs));
        if (data is not null)
        {
            dict.Set("~", new BtString(data));
        }

        return BtWriter.Encode(dict);
    }
}
