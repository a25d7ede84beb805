using System.CommandLine;
using System.Security.Cryptography;
using SessionAppliance.Protocol.Crypto;
using Spectre.Console;

namespace SessionAppliance.Cli.Identity;

/// <summary>
/// export-identity and import-identity: the node's key leaves the board only sealed under a passphrase, and comes
/// back onto a card only when no other identity is there.
/// </summary>
internal sealed class IdentityCommands(IAnsiConsole console)
{
    public const string DefaultDataDirectory = "/var/lib/session-appliance";
    public const string KeyFileName = "key_ed25519";
    public const int MinPassphraseLength = 12;

    public static void AddTo(RootCommand root, IAnsiConsole console)
    {
        var commands = new IdentityCommands(console);
        var data = new Option<string>("--data") { Description = "The node's data directory", DefaultValueFactory = _ => DefaultDataDirectory };
        var passphraseFile = new Option<string?>("--passphrase-file") { Description = "Read the passphrase from this file (one line) instead of asking" };

        var output = new Argument<string>("file") { Description = "Where to write the sealed identity (a new file)" };
        var export = new Command("export-identity", "Write the node's key to a file sealed with a passphrase, to bring the node back after a lost card") { output, data, passphraseFile };
        export.SetAction(result => commands.Export(result.GetValue(data)!, result.GetValue(output)!, result.GetValue(passphraseFile)));
        root.Subcommands.Add(export);

        var input = new Argument<string>("file") { Description = "A file written by export-identity" };
        var import = new Command("import-identity", "Make this board the node a sealed identity file names (only where no other identity exists)") { input, data, passphraseFile };
        import.SetAction(result => commands.Import(result.GetValue(input)!, result.GetValue(data)!, result.GetValue(passphraseFile)));
        root.Subcommands.Add(import);
    }

    public int Export(string dataDirectory, string outputPath, string? passphraseFile)
    {
        var keyPath = Path.Combine(dataDirectory, KeyFileName);
        byte[] seed;
        try
        {
            seed = ReadSeed(keyPath);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Fail($"Cannot read the node's key {keyPath}: {error.Message.TrimEnd('.')}. Run it as root on the board (sudo session-appliance export-identity FILE).");
        }

        try
        {
            var passphrase = ReadPassphrase(passphraseFile, confirm: true);
            if (passphrase.Length < MinPassphraseLength)
            {
                return Fail($"The passphrase has {passphrase.Length} characters; use at least {MinPassphraseLength}. A few unrelated words are easy to keep and hard to guess.");
            }

            var backup = IdentityBackup.Create(seed, passphrase);
            var name = NodeName(backup.PublicKeyHex);
            WriteNew(outputPath, System.Text.Encoding.UTF8.GetBytes(backup.ToText(name)));
            console.MarkupLine($"[green]Wrote {Markup.Escape(outputPath)}:[/] the identity of {name} (ed25519 {backup.PublicKeyHex}).");
            console.MarkupLine("Copy it off the board and keep the passphrase somewhere else: together they are this node.");
            return 0;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            return Fail(error.Message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public int Import(string backupPath, string dataDirectory, string? passphraseFile)
    {
        try
        {
            var backup = IdentityBackup.Parse(File.ReadAllText(backupPath));
            var name = NodeName(backup.PublicKeyHex);
            var keyPath = Path.Combine(dataDirectory, KeyFileName);
            if (File.Exists(keyPath))
            {
                var present = Convert.ToHexStringLower(Ed25519.FromSeed(ReadSeed(keyPath)).PublicKey);
                if (present == backup.PublicKeyHex)
                {
                    console.MarkupLine($"[green]This board is already {name}[/] (ed25519 {backup.PublicKeyHex}); nothing to import.");
                    return 0;
                }

                return Fail($"This board already has an identity, {NodeName(present)} (ed25519 {present}), and the file is {name}. " +
                    $"Importing would replace it: stop the node and move {keyPath} away first (keep it if that identity matters).");
            }

            var seed = backup.Open(ReadPassphrase(passphraseFile, confirm: false));
            Directory.CreateDirectory(dataDirectory);
            WriteNew(keyPath, seed);
            CryptographicOperations.ZeroMemory(seed);
            console.MarkupLine($"[green]Imported {name}[/] (ed25519 {backup.PublicKeyHex}) into {Markup.Escape(keyPath)}.");
            return 0;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            return Fail(error.Message);
        }
    }

    public static string NodeName(string publicKeyHex) => "session-node-" + publicKeyHex[..4];

    private static byte[] ReadSeed(string keyPath)
    {
        var bytes = File.ReadAllBytes(keyPath);
        // 32 bytes: the seed the node writes; 64: libsodium's secret key (seed then public key), as oxend keeps it.
        return bytes.Length is Ed25519.SeedLength or Ed25519.SecretKeyLength
            ? bytes[..Ed25519.SeedLength]
            : throw new InvalidDataException($"it holds {bytes.Length} bytes, not a 32-byte Ed25519 seed");
    }

    private string ReadPassphrase(string? passphraseFile, bool confirm)
    {
        if (passphraseFile is not null)
        {
            var text = File.ReadAllText(passphraseFile);
            text = text.EndsWith('\n') ? text[..^1].TrimEnd('\r') : text;
            return text.Contains('\n', StringComparison.Ordinal) || text.Length == 0
                ? throw new InvalidDataException($"{passphraseFile} must hold the passphrase alone on one line")
                : text;
        }

        if (!console.Profile.Capabilities.Interactive)
        {
            throw new InvalidOperationException("No terminal to ask for the passphrase: give it with --passphrase-file FILE.");
        }

        var passphrase = console.Prompt(new TextPrompt<string>("Passphrase:").Secret());
        if (confirm && console.Prompt(new TextPrompt<string>("The same passphrase again:").Secret()) != passphrase)
        {
            throw new InvalidDataException("The two passphrases differ; nothing was written.");
        }

        return passphrase;
    }

    /// <summary>Owner-only, never over an existing file, durable before it is named.</summary>
    private static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path} exists already; choose another name or move it away");
        }

        var temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: false);
    }

    private int Fail(string message)
    {
        console.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        return 1;
    }
}
