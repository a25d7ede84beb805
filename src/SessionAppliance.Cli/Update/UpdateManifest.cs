using System.Text.Json;
using System.Text.RegularExpressions;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// What an update server offers, as scripts/build-image writes it beside the bundle: the version, the bundle's
/// address (relative to the manifest's), its size and SHA-256. Signed apart (a detached CMS signature, ".sig").
/// Untrusted until the signature is checked, and checked field by field even then.
/// </summary>
internal sealed partial record UpdateManifest(string Version, string Compatible, Uri Bundle, long Size, string Sha256)
{
    public const string ApplianceCompatible = "session-appliance-arm64";
    public const long MaxBundleBytes = 2L << 30;

    public static UpdateManifest Parse(ReadOnlySpan<byte> json, Uri manifestUrl)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var version = Text(root, "version");
            var compatible = Text(root, "compatible");
            var bundle = Text(root, "bundle");
            var size = root.TryGetProperty("size", out var s) && s.TryGetInt64(out var n) ? n : -1;
            var sha256 = Text(root, "sha256").ToLowerInvariant();
            if (!VersionPattern().IsMatch(version))
            {
                throw new InvalidDataException($"the manifest's version \"{version}\" is not a version");
            }

            if (compatible != ApplianceCompatible)
            {
                throw new InvalidDataException($"the manifest is for \"{compatible}\", not this appliance ({ApplianceCompatible})");
            }

            if (size is <= 0 or > MaxBundleBytes)
            {
                throw new InvalidDataException($"the manifest's bundle size {size} is not from 1 byte to {MaxBundleBytes / 1073741824} GiB");
            }

            if (!Sha256Pattern().IsMatch(sha256))
            {
                throw new InvalidDataException("the manifest's sha256 is not 64 hex digits");
            }

            var bundleUrl = new Uri(manifestUrl, bundle);
            if (bundleUrl.Scheme is not ("https" or "http"))
            {
                throw new InvalidDataException($"the bundle's address {bundleUrl} is not http(s)");
            }

            return new UpdateManifest(version, compatible, bundleUrl, size, sha256);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"the manifest is not JSON: {error.Message}");
        }
        catch (UriFormatException)
        {
            throw new InvalidDataException("the manifest's bundle is not an address");
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"the manifest has no \"{name}\" text");

    [GeneratedRegex("^[0-9A-Za-z.+~-]{1,64}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
