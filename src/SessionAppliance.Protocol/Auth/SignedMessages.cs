using System.Globalization;
using System.Text;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Protocol.Auth;

/// <summary>
/// The exact byte strings clients sign (spec §3.3 table) and nodes sign in replies (spec §3.4): ASCII
/// concatenation, integers in decimal, no separators.
/// </summary>
public static class SignedMessages
{
    /// <summary>Namespace text in signatures: "" for 0, "all" for every namespace, else decimal.</summary>
    public static string NamespaceText(short? ns) => ns is { } one ? Namespaces.SignatureText(one) : "all";

    public static byte[] Store(short ns, long sigTimestamp) => Utf8("store", Namespaces.SignatureText(ns), D(sigTimestamp));

    public static byte[] Retrieve(short ns, long timestamp) => Utf8("retrieve", Namespaces.SignatureText(ns), D(timestamp));

    public static byte[] Delete(IEnumerable<string> hashes) => Utf8(["delete", .. hashes]);

    public static byte[] DeleteAll(short? ns, long timestamp) => Utf8("delete_all", NamespaceText(ns), D(timestamp));

    public static byte[] DeleteBefore(short? ns, long before) => Utf8("delete_before", NamespaceText(ns), D(before));

    public static byte[] ExpireAll(short? ns, long expiry) => Utf8("expire_all", NamespaceText(ns), D(expiry));

    /// <summary><paramref name="mode"/> is "shorten", "extend" or "".</summary>
    public static byte[] Expire(string mode, IEnumerable<long> expiries, IEnumerable<string> hashes) =>
        Utf8(["expire", mode, .. expiries.Select(D), .. hashes]);

    public static byte[] GetExpiries(long timestamp, IEnumerable<string> hashes) => Utf8(["get_expiries", D(timestamp), .. hashes]);

    /// <summary>"revoke_subaccount" or "unrevoke_subaccount" + timestamp + raw token bytes in request order.</summary>
    public static byte[] Revocation(string method, long timestamp, IEnumerable<byte[]> tokens) =>
        [.. Utf8(method, D(timestamp)), .. tokens.SelectMany(t => t)];

    public static byte[] RevokedSubaccounts(long timestamp) => Utf8("revoked_subaccounts", D(timestamp));

    // Node reply signatures.

    /// <summary>A store reply signs the 43-character hash text itself.</summary>
    public static byte[] StoreReply(string hash) => Utf8(hash);

    public static byte[] DeleteReply(AccountId owner, IEnumerable<string> requested, IEnumerable<string> deletedSorted) =>
        Utf8([owner.Hex, .. requested, .. deletedSorted]);

    /// <summary>delete_all / delete_before / expire_all: owner ‖ value ‖ affected hashes in ASCII order.</summary>
    public static byte[] BulkReply(AccountId owner, long value, IEnumerable<string> hashesSorted) =>
        Utf8([owner.Hex, D(value), .. hashesSorted]);

    public static byte[] ExpireReply(AccountId owner, IEnumerable<long> appliedExpiries, IEnumerable<string> requested,
        IEnumerable<string> updatedSorted, IEnumerable<KeyValuePair<string, long>> unchangedSorted) =>
        Utf8([owner.Hex, .. appliedExpiries.Select(D), .. requested, .. updatedSorted, .. unchangedSorted.SelectMany(u => new[] { u.Key, D(u.Value) })]);

    public static byte[] RevocationReply(AccountId owner, long timestamp, IEnumerable<byte[]> tokens) =>
        [.. Utf8(owner.Hex, D(timestamp)), .. tokens.SelectMany(t => t)];

    private static string D(long value) => value.ToString(CultureInfo.InvariantCulture);

    // The reference signs the request's strings as raw bytes: UTF-8, which only matters for unvalidated fields (get_expiries' hashes).
    private static byte[] Utf8(params IEnumerable<string> parts) => Encoding.UTF8.GetBytes(string.Concat(parts));
}
