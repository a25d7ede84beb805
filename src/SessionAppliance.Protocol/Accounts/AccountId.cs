using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Protocol.Accounts;

/// <summary>
/// A message owner: one network prefix byte and a 32-byte key (spec §3.1). Prefix 05 is a Session ID
/// (X25519), 03 a group (Ed25519); other prefixes are treated as Ed25519.
/// </summary>
public sealed class AccountId : IEquatable<AccountId>
{
    public const byte SessionIdPrefix = 0x05;
    public const byte GroupPrefix = 0x03;
    public const string LengthError = "Pubkey must be 66 hex digits (33 bytes) long";

    private readonly byte[] _bytes;

    private AccountId(byte[] bytes)
    {
        _bytes = bytes;
        Hex = HexText.Encode(bytes);
    }

    public byte Prefix => _bytes[0];

    /// <summary>The 32 key bytes without the prefix.</summary>
    public ReadOnlySpan<byte> Key => _bytes.AsSpan(1);

    /// <summary>Prefix and key, 33 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>66 lower-case hex digits, prefix included: the form signed in node replies.</summary>
    public string Hex { get; }

    public bool IsSessionId => Prefix == SessionIdPrefix;

    public static bool TryParse(string text, out AccountId account)
    {
        account = null!;
        if (text.Length != 66 || !HexText.TryDecode(text, out var bytes))
        {
            return false;
        }

        account = new AccountId(bytes);
        return true;
    }

    public static AccountId Parse(string text) =>
        TryParse(text, out var account) ? account : throw new FormatException(LengthError);

    public static AccountId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 33 ? new AccountId(bytes.ToArray()) : throw new FormatException(LengthError);

    public bool Equals(AccountId? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as AccountId);

    public override int GetHashCode() => HashCode.Combine(BitConverter.ToInt64(_bytes, 1), _bytes[0]);

    public override string ToString() => Hex;
}
