using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SessionAppliance.Status.Board;
using SessionAppliance.Status.Hosting;

namespace SessionAppliance.Status.Console;

/// <summary>Registers the console: Kestrel on the LAN port, the history and its recorder, sessions, actions and metrics.</summary>
public static class ConsoleServices
{
    public static void Add(WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue(ConsoleOptions.Section + ":" + nameof(ConsoleOptions.Port), 80);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(port);
            kestrel.AddServerHeader = false;
            // A page, a form and a scrape: small limits keep a misbehaving client from costing the board memory.
            kestrel.Limits.MaxConcurrentConnections = 32;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(sp => HistoryRecorder.LoadFrom(Path.Combine(sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.StateDirectory, HistoryRecorder.FileName)));
        builder.Services.AddSingleton<HistoryRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HistoryRecorder>());
        builder.Services.AddSingleton(sp => new ConsoleSessions(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.SessionLifetime));
        builder.Services.AddSingleton(sp => new ConsoleActions(sp.GetRequiredService<StatusEngine>(), sp.GetRequiredService<ISystemActions>(),
            sp.GetRequiredService<IOptions<ConsoleOptions>>(), sp.GetRequiredService<IOptions<StatusOptions>>()));
        builder.Services.AddSingleton<ConsoleMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .ConfigureResource(resource => resource.AddService("session-appliance-status"))
            .AddMeter(ConsoleMetrics.MeterName)
            .AddPrometheusExporter());
    }
}
