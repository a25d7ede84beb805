using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using SessionAppliance.Hosting;
using SessionAppliance.Status;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.Button;
using SessionAppliance.Status.Console;
using SessionAppliance.Status.Hosting;
using SessionAppliance.Status.Model;
using SessionAppliance.Status.NodeHealth;

if (args is ["patterns-svg"])
{
    // Prints the LED pattern chart that hardware/led-patterns.svg holds.
    System.Console.Write(PatternChart.Svg());
    return;
}

// The status service: its own process, so the LED, the button and the LAN console keep working while the node
// hangs or restarts. The empty builder keeps the binary and its memory small: Kestrel, routing, nothing else.
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args });
builder.Configuration.AddJsonFile("/etc/session-appliance/status.json", optional: true);
builder.Configuration.AddEnvironmentVariables("SESSION_APPLIANCE_");
builder.Configuration.AddCommandLine(args);
builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
// One line per console request would flood the journal on an always-open page.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddSystemd();
builder.Services.AddOptions<StatusOptions>().Bind(builder.Configuration.GetSection(StatusOptions.Section));
builder.Services.AddOptions<ConsoleOptions>().Bind(builder.Configuration.GetSection(ConsoleOptions.Section));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new BoardHealthReader());
builder.Services.AddSingleton(sp =>
{
    var options = sp.GetRequiredService<IOptions<StatusOptions>>().Value;
    return new OperatorRequestReader(options.RunDirectory, options.IdentifyDuration, sp.GetRequiredService<TimeProvider>());
});
builder.Services.AddSingleton(sp => new NodeHealthClient(new HttpClient(), new Uri(sp.GetRequiredService<IOptions<StatusOptions>>().Value.NodeHealthUrl)));
builder.Services.AddSingleton<ISystemActions>(sp =>
{
    var options = sp.GetRequiredService<IOptions<StatusOptions>>().Value;
    return new ProcessSystemActions(options.ShutdownCommand, options.FactoryResetCommand, sp.GetRequiredService<ILogger<ProcessSystemActions>>());
});
builder.Services.AddSingleton(sp =>
{
    var options = sp.GetRequiredService<IOptions<StatusOptions>>().Value;
    var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("SessionAppliance.Status");
    var (outputs, button) = StatusHardware.Open(options, StatusHardware.TryOpenGpio, "/sys/class/leds", logger);
    return new StatusEngine(outputs, button, sp.GetRequiredService<ISystemActions>(), new ButtonTimings(),
        options.NodeTimeout, options.BootGrace, sp.GetRequiredService<TimeProvider>(), logger,
        sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.PairingWindow);
});
builder.Services.AddSingleton<StatusWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<StatusWorker>());
builder.Services.AddHostedService(sp => new SystemdWatchdog(
    () => sp.GetRequiredService<StatusWorker>().TickedWithin(TimeSpan.FromSeconds(5)), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>()));
ConsoleServices.Add(builder);

var app = builder.Build();
app.Services.GetRequiredService<ConsoleMetrics>();
app.MapConsole();
app.MapPrometheusScrapingEndpoint();
await app.RunAsync();
