using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionAppliance.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionAppliance.Status;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.Button;
using SessionAppliance.Status.Hosting;
using SessionAppliance.Status.Model;
using SessionAppliance.Status.NodeHealth;

if (args is ["patterns-svg"])
{
    // Prints the LED pattern chart that hardware/led-patterns.svg holds.
    Console.Write(PatternChart.Svg());
    return;
}

// The status service: its own process, so the LED and the button keep working while the node hangs or restarts.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
builder.Configuration.AddJsonFile("/etc/session-appliance/status.json", optional: true);
builder.Configuration.AddEnvironmentVariables("SESSION_APPLIANCE_");
builder.Configuration.AddCommandLine(args);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Services.AddSystemd();
builder.Services.AddOptions<StatusOptions>().Bind(builder.Configuration.GetSection(StatusOptions.Section));
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
        options.NodeTimeout, options.BootGrace, sp.GetRequiredService<TimeProvider>(), logger);
});
builder.Services.AddSingleton<StatusWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<StatusWorker>());
builder.Services.AddHostedService(sp => new SystemdWatchdog(
    () => sp.GetRequiredService<StatusWorker>().TickedWithin(TimeSpan.FromSeconds(5)), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>()));
await builder.Build().RunAsync();
