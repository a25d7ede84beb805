using Spectre.Console;

namespace SessionAppliance.Cli;

/// <summary>
/// Requests for the status service, left as files in its run directory (root-owned tmpfs): writing one needs
/// root on the board, which over SSH is as good as standing next to it.
/// </summary>
internal sealed class RequestFiles(string runDirectory)
{
    public int Touch(IAnsiConsole console, string name, string done)
    {
        var path = Path.Combine(runDirectory, name);
        try
        {
            File.WriteAllBytes(path, []);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            console.MarkupLine($"[green]{Markup.Escape(done)}[/]");
            return 0;
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            console.MarkupLine($"[red]Cannot write {Markup.Escape(path)}:[/] {Markup.Escape(error.Message.TrimEnd('.'))}. Run it as root on the board (sudo session-appliance {name}).");
            return 1;
        }
    }
}
