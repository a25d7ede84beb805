using System.Buffers.Binary;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// The indexed key of a message: owner (33) ‖ namespace (u16 BE, biased) ‖ row id (u64 BE). Byte order equals
/// (owner, namespace, insertion) order, so a retrieve is one index range scan that comes out already sorted.
/// </summary>
internal static class MessageKey
{
    public const int OwnerLength = 33;
    public const int PrefixLength = OwnerLength + 2;
    public const int Length = PrefixLength + 8;

    public static byte[] Of(AccountId owner, short ns, long rowId)
    {
        var key = new byte[Length];
        owner.Bytes.CopyTo(key);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(OwnerLength), Bias(ns));
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(PrefixLength), (ulong)rowId);
        return key;
    }

    /// <summary>First and last possible keys of an owner (all namespaces) or of one owner namespace.</summary>
    public static (byte[] First, byte[] Last) RangeOf(AccountId owner, short? ns)
    {
        var first = new byte[Length];
        var last = new byte[Length];
        owner.Bytes.CopyTo(first);
        owner.Bytes.CopyTo(last);
        if (ns is { } one)
        {
            BinaryPrimitives.WriteUInt16BigEndian(first.AsSpan(OwnerLength), Bias(one));
            BinaryPrimitives.WriteUInt16BigEndian(last.AsSpan(OwnerLength), Bias(one));
            last.AsSpan(PrefixLength).Fill(0xFF);
        }
        else
        {
            last.AsSpan(OwnerLength).Fill(0xFF);
        }

        return (first, last);
    }

    public static AccountId OwnerOf(byte[] key) => AccountId.FromBytes(key.AsSpan(0, OwnerLength));

    public static short NamespaceOf(byte[] key) =>
        (short)(BinaryPrimitives.ReadUInt16BigEndian(key.AsSpan(OwnerLength)) - 32768);

    public static long RowIdOf(byte[] key) => (long)BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(PrefixLength));

    public static bool SameStream(byte[] key, AccountId owner, short ns) =>
        key.AsSpan(0, OwnerLength).SequenceEqual(owner.Bytes) && NamespaceOf(key) == ns;

    private static ushort Bias(short ns) => (ushort)(ns + 32768);
}
