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

    /// <summary>
    /// Keeps <paramref name="given"/> (oxend's key) as this node's identity. A different key already on disk is
    /// refused with the fix, never silently replaced: it may be the identity that holds this node's stake history.
    /// </summary>
    public static NodeKeys Adopt(string dataDirectory, NodeKeys given)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var onDisk = LoadOrCreate(dataDirectory);
            if (onDisk.Ed25519Hex != given.Ed25519Hex)
            {
                throw new InvalidDataException(
                    $"{path} holds identity {onDisk.Ed25519Hex}, but oxend's service node is {given.Ed25519Hex}. " +
                    "A node beside oxend must use oxend's key: move the old key file away (keep it if that identity matters) and start again.");
            }

            return onDisk;
        }

        Directory.CreateDirectory(dataDirectory);
        SecretFile.WriteOnce(path, given.Ed25519.Seed);
        return given;
    }
}
