using SessionAppliance.Cli.Identity;
using SessionAppliance.Protocol.Crypto;
using Spectre.Console;

namespace SessionAppliance.Cli.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IdentityCommandTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private readonly string _root = Directory.CreateTempSubdirectory("cli-identity-").FullName;
    private readonly StringWriter _output = new();

    private string OldBoard => Path.Combine(_root, "old");
    private string NewBoard => Path.Combine(_root, "new");
    private string Backup => Path.Combine(_root, "identity.txt");

    private int Run(params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_output),
        });
        console.Profile.Width = 300;
        using var http = new HttpClient();
        return ApplianceCommands.Build(console, new RequestFiles(_root), http).Parse(args).Invoke();
    }

    private string PassphraseFile(string passphrase)
    {
        var path = Path.Combine(_root, "passphrase-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(path, passphrase + "\n");
        return path;
    }

    private byte[] BoardWithKey(string directory)
    {
        Directory.CreateDirectory(directory);
        var seed = Ed25519.Generate().Seed.ToArray();
        File.WriteAllBytes(Path.Combine(directory, "key_ed25519"), seed);
        return seed;
    }

    private int Export() => Run("export-identity", Backup, "--data", OldBoard, "--passphrase-file", PassphraseFile(Passphrase));

    private int Import(string passphrase) => Run("import-identity", Backup, "--data", NewBoard, "--passphrase-file", PassphraseFile(passphrase));

    [Fact]
    public void An_exported_identity_imports_onto_an_empty_board_as_the_same_key_readable_by_its_owner_only()
    {
        var seed = BoardWithKey(OldBoard);

        Assert.Equal(0, Export());
        Assert.Equal(0, Import(Passphrase));

        var imported = Path.Combine(NewBoard, "key_ed25519");
        Assert.Equal(seed, File.ReadAllBytes(imported));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(imported));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Backup));
        var publicKey = Convert.ToHexStringLower(Ed25519.FromSeed(seed).PublicKey);
        Assert.Contains($"node ed25519 {publicKey}", File.ReadAllText(Backup), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(seed), File.ReadAllText(Backup), StringComparison.Ordinal);
        Assert.Contains($"Imported session-node-{publicKey[..4]}", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_passphrase_is_refused_and_writes_no_key()
    {
        BoardWithKey(OldBoard);
        Assert.Equal(0, Export());

        Assert.Equal(1, Import("not the passphrase at all"));

        Assert.False(File.Exists(Path.Combine(NewBoard, "key_ed25519")));
        Assert.Contains("the passphrase does not open this identity file", _output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node ed25519 ", 0)]     // another node's public key written over the real one
    [InlineData("argon2id ops ", 1)]     // a cheaper cost, to speed up guessing
    [InlineData("sealed ", 2)]           // a changed byte of the sealed key
    public void A_changed_file_is_refused(string line, int change)
    {
        BoardWithKey(OldBoard);
        Assert.Equal(0, Export());
        var lines = File.ReadAllLines(Backup);
        var index = Array.FindIndex(lines, l => l.StartsWith(line, StringComparison.Ordinal));
        lines[index] = change switch
        {
            0 => line + Convert.ToHexStringLower(Ed25519.Generate().PublicKey),
            1 => lines[index].Replace("ops 4 ", "ops 1 ", StringComparison.Ordinal),
            _ => lines[index][..^2] + (lines[index][^2..] == "00" ? "01" : "00"),
        };
        File.WriteAllLines(Backup, lines);

        Assert.Equal(1, Import(Passphrase));
        Assert.False(File.Exists(Path.Combine(NewBoard, "key_ed25519")));
    }

    [Fact]
    public void A_board_with_another_identity_keeps_it_and_says_how_to_replace_it()
    {
        BoardWithKey(OldBoard);
        var present = BoardWithKey(NewBoard);
        Assert.Equal(0, Export());

        Assert.Equal(1, Import(Passphrase));

        Assert.Equal(present, File.ReadAllBytes(Path.Combine(NewBoard, "key_ed25519")));
        Assert.Contains("already has an identity", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("move", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_the_identity_a_board_already_has_changes_nothing()
    {
        var seed = BoardWithKey(OldBoard);
        Assert.Equal(0, Export());

        Assert.Equal(0, Run("import-identity", Backup, "--data", OldBoard, "--passphrase-file", PassphraseFile(Passphrase)));

        Assert.Equal(seed, File.ReadAllBytes(Path.Combine(OldBoard, "key_ed25519")));
        Assert.Contains("already", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_refuses_a_short_passphrase_an_existing_file_and_asks_for_a_file_without_a_terminal()
    {
        BoardWithKey(OldBoard);

        Assert.Equal(1, Run("export-identity", Backup, "--data", OldBoard, "--passphrase-file", PassphraseFile("short")));
        Assert.False(File.Exists(Backup));
        Assert.Equal(1, Run("export-identity", Backup, "--data", OldBoard));
        Assert.Contains("--passphrase-file", _output.ToString(), StringComparison.Ordinal);
        File.WriteAllText(Backup, "keep me");
        Assert.Equal(1, Export());
        Assert.Equal("keep me", File.ReadAllText(Backup));
    }

    [Theory]
    [InlineData("mem 67108864", "mem 4294967296")] // a file may not ask the board for 4 GiB
    [InlineData("ops 4 ", "ops 4000 ")]
    [InlineData("session-appliance identity backup 1", "session-appliance identity backup 9")]
    public void A_file_that_asks_too_much_or_is_of_another_format_is_refused_before_any_work(string from, string to)
    {
        BoardWithKey(OldBoard);
        Assert.Equal(0, Export());
        File.WriteAllText(Backup, File.ReadAllText(Backup).Replace(from, to, StringComparison.Ordinal));

        Assert.Throws<InvalidDataException>(() => IdentityBackup.Parse(File.ReadAllText(Backup)));
        Assert.Equal(1, Import(Passphrase));
    }

    public void Dispose()
    {
        _output.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
