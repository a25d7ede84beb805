using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Tests.Support;

namespace SessionAppliance.Node.Tests.Identity;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
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
}
