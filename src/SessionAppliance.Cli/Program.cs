using SessionAppliance.Cli;
using Spectre.Console;

return await ApplianceCommands.Build(AnsiConsole.Console, new RequestFiles("/run/session-appliance"), new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
    .Parse(args).InvokeAsync().ConfigureAwait(false);
