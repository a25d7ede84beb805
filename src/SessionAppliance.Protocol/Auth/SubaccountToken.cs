namespace SessionAppliance.Protocol.Auth;

/// <summary>Permissions a subaccount token grants (spec §3.3).</summary>
[Flags]
public enum SubaccountFlags : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Delete = 4,
    AnyPrefix = 8,
}

/// <summary>A 36-byte subaccount token: [network prefix][flags][2 reserved][32-byte Ed25519 key].</summary>
public sealed class SubaccountToken
{
    public const int Length = 36;

    private SubaccountToken(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public byte Prefix => Bytes[0];

    public SubaccountFlags Flags => (SubaccountFlags)Bytes[1];

    public ReadOnlySpan<byte> PublicKey => Bytes.AsSpan(4, 32);

    public static SubaccountToken FromBytes(byte[] bytes) =>
        bytes.Length == Length ? new SubaccountToken(bytes) : throw new ArgumentException("a subaccount token is 36 bytes", nameof(bytes));

    public static SubaccountToken Create(byte prefix, SubaccountFlags flags, ReadOnlySpan<byte> ed25519PublicKey)
    {
        var bytes = new byte[Length];
        bytes[0] = prefix;
        bytes[1] = (byte)flags;
        ed25519PublicKey.CopyTo(bytes.AsSpan(4));
        return new SubaccountToken(bytes);
    }

    public bool Grants(SubaccountFlags required) => (Flags & required) == required;
}
