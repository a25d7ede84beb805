using System.Buffers.Binary;
using System.Text;
using SessionAppliance.Protocol.Accounts;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// Owner, namespace and hash in one binary key: 33 owner bytes, the namespace (2 bytes, big-endian), a marker
/// (0 = the 32 bytes of a canonical base64 hash follow, 1 = the hash's UTF-8 text follows) and the hash.
/// A canonical hash takes 68 bytes instead of 43 characters plus field overhead.
/// </summary>
internal static class MessageKey
{
    public const int OwnerLength = 33;

    /// <summary>Keeps a key within the one length byte a pack entry gives it.</summary>
    private const int MaxHashBytes = 200;

    public static byte[] Encode(AccountId owner, short ns, string hash)
    {
        Span<byte> decoded = stackalloc byte[33];
        var canonical = hash.Length == 43 && Convert.TryFromBase64String(hash + "=", decoded, out var length) && length == 32
            && Convert.ToBase64String(decoded[..32]).AsSpan(0, 43).SequenceEqual(hash);
        var hashBytes = canonical ? decoded[..32].ToArray() : Encoding.UTF8.GetBytes(hash);
        if (hashBytes.Length > MaxHashBytes)
        {
            throw new InvalidOperationException($"a message hash of {hashBytes.Length} bytes is longer than the store keeps ({MaxHashBytes})");
        }

        var key = new byte[OwnerLength + 2 + 1 + hashBytes.Length];
        owner.Bytes.CopyTo(key);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(OwnerLength), (ushort)ns);
        key[OwnerLength + 2] = canonical ? (byte)0 : (byte)1;
        hashBytes.CopyTo(key.AsSpan(OwnerLength + 3));
        return key;
    }

    public static AccountId OwnerOf(ReadOnlySpan<byte> key) => AccountId.FromBytes(key[..OwnerLength]);

    public static short NamespaceOf(ReadOnlySpan<byte> key) => (short)BinaryPrimitives.ReadUInt16BigEndian(key[OwnerLength..]);

    public static string HashOf(ReadOnlySpan<byte> key)
    {
        var hash = key[(OwnerLength + 2)..];
        return hash[0] == 0 ? Convert.ToBase64String(hash[1..]).TrimEnd('=') : Encoding.UTF8.GetString(hash[1..]);
    }
}
