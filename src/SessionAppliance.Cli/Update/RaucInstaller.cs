using System.Diagnostics;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// RAUC through its command line (<c>rauc info</c>, <c>rauc install</c>): RAUC checks the bundle's CMS signature
/// against /etc/rauc/keyring.pem and its dm-verity hash tree before a byte reaches a slot.
/// </summary>
internal sealed class RaucInstaller(string commandLine = "/proc/cmdline") : IBundleInstaller
{
    public string BootedSlot
    {
        get
        {
            var arguments = File.Exists(commandLine) ? File.ReadAllText(commandLine).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            return arguments.FirstOrDefault(a => a.StartsWith("rauc.slot=", StringComparison.Ordinal))?["rauc.slot=".Length..]
                ?? throw new InvalidOperationException("this system was not booted from a root slot (no rauc.slot= on the kernel command line): it cannot be updated in place");
        }
    }

    public async Task<BundleInfo> InspectAsync(string bundle, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(["info", "--output-format=shell", bundle], null, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new UpdateRefusedException($"RAUC refuses the bundle: {LastError(output)}");
        }

        string Field(string name) => output.Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..].Trim('\'') ?? "";
        return new BundleInfo(Field("RAUC_MF_VERSION"), Field("RAUC_MF_COMPATIBLE"));
    }

    public async Task InstallAsync(string bundle, Action<string> progress, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(["install", bundle], progress, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new UpdateRefusedException($"RAUC did not install the bundle: {LastError(output)}");
        }
    }

    private static string LastError(List<string> output) =>
        output.LastOrDefault(line => line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("fail", StringComparison.OrdinalIgnoreCase))?.Trim()
        ?? output.LastOrDefault(line => line.Trim().Length > 0)?.Trim()
        ?? "no reason given";

    private static async Task<(int Code, List<string> Output)> RunAsync(string[] arguments, Action<string>? progress, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("rauc") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new List<string>();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("RAUC is not installed here: only the appliance's image (with its A and B root slots) can install updates");
        }

        using (process)
        {
            void Read(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (output)
                {
                    output.Add(line);
                }

                progress?.Invoke(line);
            }

            process.OutputDataReceived += (_, e) => Read(e.Data);
            process.ErrorDataReceived += (_, e) => Read(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, output);
        }
    }
}
