using SessionAppliance.Cli;
using Spectre.Console;

var console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // The journal (the update timer) and scripts read whole lines: no wrapping at a terminal's 80 columns.
    console.Profile.Width = 512;
}

return await ApplianceCommands.Build(console, new RequestFiles("/run/session-appliance"), new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
    .Parse(args).InvokeAsync().ConfigureAwait(false);
