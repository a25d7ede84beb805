using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Identity;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", NodeProcess.Category)]
public class NodeIdentityTests
{
    [Fact]
    public void Identity_is_created_once_with_mode_0600_and_reloaded_unchanged()
    {
        var directory = Directory.CreateTempSubdirectory("sa-id-").FullName;

        var first = NodeIdentityStore.LoadOrCreate(directory);
        var second = NodeIdentityStore.LoadOrCreate(directory);

        Assert.Equal(first.Ed25519Hex, second.Ed25519Hex);
        Assert.Equal(first.X25519Hex, second.X25519Hex);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, NodeIdentityStore.FileName)));
    }

    [Fact]
    public void A_damaged_key_file_stops_start_up_with_a_clear_message_instead_of_a_new_identity()
    {
        var directory = Directory.CreateTempSubdirectory("sa-id-").FullName;
        File.WriteAllBytes(Path.Combine(directory, NodeIdentityStore.FileName), new byte[7]);

        var error = Assert.Throws<InvalidDataException>(() => NodeIdentityStore.LoadOrCreate(directory));

        Assert.Contains("not a 32-byte Ed25519 seed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_node_keeps_its_keys_certificate_and_messages()
    {
        var directory = Directory.CreateTempSubdirectory("sa-id-").FullName;
        string ed25519;
        string hash;
        await using (var node = await TestNode.StartAsync(directory))
        {
            ed25519 = node.Keys.Ed25519Hex;
            hash = await new AccountSession(node).StoreAsync(0, [1, 2, 3]);
        }

        await using (var node = await TestNode.StartAsync(directory))
        {
            Assert.Equal(ed25519, node.Keys.Ed25519Hex);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, TlsCertificateStore.FileName)));
        Assert.NotEmpty(hash);
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_node_makes_its_data_directory_0700_and_its_files_0600_and_narrows_wider_ones()
    {
        var parent = Directory.CreateTempSubdirectory("sa-id-").FullName;
        var fresh = Path.Combine(parent, "fresh");
        var old = Path.Combine(parent, "old");
        Directory.CreateDirectory(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.WriteAllBytes(Path.Combine(old, "messages.db"), []);
        File.SetUnixFileMode(Path.Combine(old, "messages.db"), OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        foreach (var directory in new[] { fresh, old })
        {
            await using (var node = await TestNode.StartAsync(directory))
            {
                await new AccountSession(node).StoreAsync(0, [1]);
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            var files = Directory.GetFiles(directory);
            Assert.Contains(Path.Combine(directory, "messages.db"), files);
            Assert.All(files, file => Assert.True(File.GetUnixFileMode(file) == OwnerOnly, $"{file} is {File.GetUnixFileMode(file)}"));
        }
    }

    [Fact]
    public async Task A_damaged_certificate_stops_the_node_with_the_fix_and_recover_certificate_keeps_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("sa-id-").FullName;
        var keys = NodeIdentityStore.LoadOrCreate(directory);
        File.WriteAllBytes(Path.Combine(directory, TlsCertificateStore.FileName), [0x30, 0x82, 1, 2, 3]);

        var (code, _, error) = await NodeProcess.RunToExitAsync(directory);

        Assert.Equal(1, code);
        Assert.Contains("is not a readable TLS certificate", error, StringComparison.Ordinal);
        Assert.Contains("--recover-certificate", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        var (recovered, output, _) = await NodeProcess.RunToExitAsync(directory, "--recover-certificate");

        Assert.Equal(0, recovered);
        Assert.Contains("moved aside", output, StringComparison.Ordinal);
        await using var node = await TestNode.StartAsync(directory);
        Assert.Equal(keys.Ed25519Hex, node.Keys.Ed25519Hex);
    }
}
