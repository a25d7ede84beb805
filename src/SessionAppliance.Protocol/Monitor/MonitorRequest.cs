using System.Globalization;
using System.Text;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Auth;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Protocol.Monitor;

/// <summary>
/// <c>monitor.messages</c> (spec §2): a bt dict, or a list of them, each asking to be told of new messages for one
/// account. Each entry is checked as the reference checks it, key by key in bt order, and answered with
/// <c>{success: 1}</c> or <c>{errcode, error}</c> in the reference's texts; a list gets a list of answers.
/// </summary>
public static class MonitorRequest
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(14);
    private static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    /// <summary>Answers a request body; the entries that passed are added to <paramref name="accepted"/>.</summary>
    public static byte[] Handle(ReadOnlySpan<byte> body, long nowMs, List<MonitorSubscription> accepted)
    {
        if (body.Length < 2 || (body[0] != 'd' && body[0] != 'l') || body[^1] != 'e')
        {
            return BtWriter.Encode(Error(MonitorError.BadArgs, "Invalid arguments: monitor request takes a single bencoded dict or list parameter"));
        }

        if (!BtReader.TryParse(body, out var parsed) || (parsed is BtList list && list.Items.Any(i => i is not BtDict)))
        {
            return BtWriter.Encode(Error(MonitorError.BadArgs, "Invalid arguments: Failed to parse monitor.messages data value"));
        }

        if (parsed is BtDict single)
        {
            return BtWriter.Encode(One(single, nowMs, accepted));
        }

        return BtWriter.Encode(new BtList([.. ((BtList)parsed!).Items.Select(i => (BtValue)One((BtDict)i, nowMs, accepted))]));
    }

    /// <summary>The signed text: "MONITOR" ‖ account hex ‖ t ‖ d (0/1) ‖ namespaces joined by ",".</summary>
    public static byte[] SignedText(AccountId account, long timestampSeconds, bool wantData, IEnumerable<short> namespaces) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"MONITOR{account.Hex}{timestampSeconds}{(wantData ? 1 : 0)}{string.Join(',', namespaces)}"));

    private static BtDict One(BtDict d, long nowMs, List<MonitorSubscription> accepted)
    {
        MonitorEntry entry;
        try
        {
            if (MonitorEntry.Read(d, out var refusal) is not { } read)
            {
                return refusal!;
            }

            entry = read;
        }
        catch (MonitorArgumentException e)
        {
            return Error(MonitorError.BadArgs, "Invalid arguments: " + e.Message);
        }

        var timestampMs = entry.TimestampSeconds * 1000;
        var tooOld = timestampMs < nowMs - (long)MaxAge.TotalMilliseconds;
        if (tooOld || timestampMs > nowMs + (long)MaxAhead.TotalMilliseconds)
        {
            return Error(MonitorError.BadTimestamp, "Invalid t= signature timestamp: timestamp is " + (tooOld ? "too old" : "in the future"));
        }

        if (entry.Resolve() is { } pubkeyError)
        {
            return pubkeyError;
        }

        var verifyKey = entry.EdKey;
        if (entry.Subaccount is { } token)
        {
            var failure = !token.Grants(SubaccountFlags.AnyPrefix) && token.Prefix != entry.Account!.Prefix ? "subaccount network prefix mismatch"
                : !token.Grants(SubaccountFlags.Read) ? "subaccount is missing the required permissions"
                : !Ed25519.Verify(entry.SubaccountSignature!, token.Bytes, entry.EdKey) ? "subaccount token signature verification failed"
                : null;
            if (failure is not null)
            {
                return Error(MonitorError.BadSignature, "Subaccount verification failed: " + failure);
            }

            verifyKey = token.PublicKey.ToArray();
        }

        if (!Ed25519.Verify(entry.Signature, SignedText(entry.Account!, entry.TimestampSeconds, entry.WantData, entry.Namespaces), verifyKey))
        {
            return Error(MonitorError.BadSignature, "Signature verification failed");
        }

        accepted.Add(new MonitorSubscription(entry.Account!, [.. entry.Namespaces], entry.WantData));
        return new BtDict().Set("success", BtValue.From(1));
    }

    internal static BtDict Error(MonitorError code, string text) =>
        new BtDict().Set("errcode", BtValue.From((long)code)).Set("error", BtValue.From(text));
}
