using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Identity;

/// <summary>
/// Loads the node's Ed25519 seed from the data directory, creating it on first start. The file is written
/// once, atomically, with mode 0600; the X25519 pair is always derived, never stored (spec §7).
/// </summary>
public static class NodeIdentityStore
{
    public const string FileName = "key_ed25519";

    public static NodeKeys LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var seed = File.ReadAllBytes(path);
            if (seed.Length != Ed25519.SeedLength)
            {
                throw new InvalidDataException($"{path} holds {seed.Length} bytes, not a 32-byte Ed25519 seed; restore it from a backup or move it away to create a new identity");
            }

            return NodeKeys.FromSeed(seed);
        }

        var keys = NodeKeys.FromSeed(Ed25519.Generate().Seed);
        SecretFile.WriteOnce(path, keys.Ed25519.Seed);
        return keys;
    }
}
