namespace SessionAppliance.Protocol.Accounts;

/// <summary>Namespace rules of spec §3.2: who may store and retrieve, and the TTL ceiling.</summary>
public static class Namespaces
{
    public const short Default = 0;
    public const short LegacyClosedGroup = -10;

    public static readonly TimeSpan PublicInboxMaxTtl = TimeSpan.FromDays(14);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(30);
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(10);

    /// <summary>Anyone may store without a signature (ns % 10 == 0).</summary>
    public static bool IsPublicInbox(int ns) => ns % 10 == 0;

    /// <summary>Owner-only store that replaces the namespace; anyone may retrieve ((-ns) % 20 == 1).</summary>
    public static bool IsPublicOutbox(int ns) => ns < 0 && -ns % 20 == 1;

    /// <summary>A revoked subaccount may still retrieve here ((-ns) % 100 == 11).</summary>
    public static bool IsUnrevocable(int ns) => ns < 0 && -ns % 100 == 11;

    public static bool StoreNeedsAuth(int ns) => !IsPublicInbox(ns);

    public static bool RetrieveNeedsAuth(int ns) => ns != LegacyClosedGroup && !IsPublicOutbox(ns);

    public static TimeSpan MaxTtlFor(int ns) => IsPublicInbox(ns) ? PublicInboxMaxTtl : MaxTtl;

    /// <summary>The namespace as it appears in signed strings and hashes: empty for 0, else decimal.</summary>
    public static string SignatureText(int ns) => ns == 0 ? "" : ns.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
