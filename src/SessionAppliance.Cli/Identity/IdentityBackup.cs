using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Cli.Identity;

/// <summary>
/// The node's Ed25519 seed sealed under a passphrase, as a short text file an operator can keep anywhere:
/// a readable header (format, public key, Argon2id cost and salt, nonce) that is also the seal's associated data,
/// then the sealed seed. The public key is in the clear so the operator can tell which node a file is, and an
/// opened seed is checked against it.
/// </summary>
internal sealed record IdentityBackup(string PublicKeyHex, int OpsLimit, int MemLimitBytes, byte[] Salt, byte[] Nonce, byte[] SealedSeed)
{
    public const string FormatLine = "session-appliance identity backup 1";
    public const int DefaultOpsLimit = 4;
    public const int DefaultMemLimitBytes = 64 << 20;

    // A file is untrusted input: its cost may not ask a 512 MB board for more memory or time than this.
    private const int MaxOpsLimit = 10;
    private const int MaxMemLimitBytes = 256 << 20;
    private const int MinMemLimitBytes = 8 << 20;

    public static IdentityBackup Create(ReadOnlySpan<byte> seed, string passphrase, int opsLimit = DefaultOpsLimit, int memLimitBytes = DefaultMemLimitBytes)
    {
        var publicKeyHex = Convert.ToHexStringLower(Ed25519.FromSeed(seed).PublicKey);
        var salt = RandomNumberGenerator.GetBytes(PassphraseSeal.SaltLength);
        var nonce = RandomNumberGenerator.GetBytes(PassphraseSeal.NonceLength);
        var header = new IdentityBackup(publicKeyHex, opsLimit, memLimitBytes, salt, nonce, []);
        var key = PassphraseSeal.DeriveKey(passphrase, salt, opsLimit, memLimitBytes);
        try
        {
            return header with { SealedSeed = PassphraseSeal.Seal(key, nonce, seed, header.AssociatedData()) };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The seed, or an <see cref="InvalidDataException"/> that says what is wrong.</summary>
    public byte[] Open(string passphrase)
    {
        var key = PassphraseSeal.DeriveKey(passphrase, Salt, OpsLimit, MemLimitBytes);
        var seed = PassphraseSeal.Open(key, Nonce, SealedSeed, AssociatedData());
        CryptographicOperations.ZeroMemory(key);
        if (seed is null)
        {
            throw new InvalidDataException("the passphrase does not open this identity file (or the file was changed since it was written)");
        }

        if (seed.Length != Ed25519.SeedLength || Convert.ToHexStringLower(Ed25519.FromSeed(seed).PublicKey) != PublicKeyHex)
        {
            throw new InvalidDataException("the sealed key does not match the public key this file names");
        }

        return seed;
    }

    public string ToText(string nodeName) => string.Join('\n',
        $"# The identity of Session node {nodeName}, sealed with a passphrase. With its passphrase this file IS the node:",
        "# keep it off the board, and never beside its passphrase.",
        "# To restore it on a freshly flashed card, put it on the boot partition as session-appliance-identity.txt and",
        "# the passphrase, alone on one line, as session-appliance-identity-passphrase.txt (deleted once read).",
        HeaderText(),
        $"sealed {Convert.ToHexStringLower(SealedSeed)}",
        string.Empty);

    public static IdentityBackup Parse(string text)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && !line.StartsWith('#')).ToArray();
        if (lines.Length != 5 || lines[0] != FormatLine)
        {
            throw new InvalidDataException($"not a Session appliance identity file: it should start with \"{FormatLine}\" and have five lines besides comments");
        }

        var node = Fields(lines[1], "node", 2);
        var cost = Fields(lines[2], "argon2id", 6);
        var seal = Fields(lines[3], "xchacha20poly1305", 2);
        var sealedSeed = Fields(lines[4], "sealed", 1);
        if (node[0] != "ed25519" || cost[0] != "ops" || cost[2] != "mem" || cost[4] != "salt" || seal[0] != "nonce")
        {
            throw new InvalidDataException("the identity file's header is not in the expected form");
        }

        var ops = Number(cost[1], 1, MaxOpsLimit, "ops");
        var mem = Number(cost[3], MinMemLimitBytes, MaxMemLimitBytes, "mem");
        return new IdentityBackup(Convert.ToHexStringLower(Bytes(node[1], Ed25519.PublicKeyLength)), ops, mem, Bytes(cost[5], PassphraseSeal.SaltLength),
            Bytes(seal[1], PassphraseSeal.NonceLength), Bytes(sealedSeed[0], Ed25519.SeedLength + PassphraseSeal.TagLength));
    }

    private string HeaderText() => string.Join('\n',
        FormatLine,
        $"node ed25519 {PublicKeyHex}",
        string.Create(CultureInfo.InvariantCulture, $"argon2id ops {OpsLimit} mem {MemLimitBytes} salt {Convert.ToHexStringLower(Salt)}"),
        $"xchacha20poly1305 nonce {Convert.ToHexStringLower(Nonce)}");

    private byte[] AssociatedData() => Encoding.UTF8.GetBytes(HeaderText());

    private static string[] Fields(string line, string name, int count)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != count + 1 || parts[0] != name)
        {
            throw new InvalidDataException($"expected a \"{name}\" line with {count} fields, found \"{(line.Length > 40 ? line[..40] + "…" : line)}\"");
        }

        return parts[1..];
    }

    private static int Number(string text, int min, int max, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidDataException($"the identity file's {name} must be a number from {min} to {max}");

    private static byte[] Bytes(string text, int length)
    {
        try
        {
            var value = Convert.FromHexString(text);
            return value.Length == length ? value : throw new InvalidDataException($"a field of the identity file holds {value.Length} bytes, not {length}");
        }
        catch (FormatException)
        {
            throw new InvalidDataException("the identity file holds a field that is not hex");
        }
    }
}
