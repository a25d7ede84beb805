using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Bandwidth;

/// <summary>
/// Keeps the quota counters across restarts: saved at most once per <see cref="BandwidthOptions.SaveInterval"/>
/// (only if they changed) and on shutdown, by writing a new file and renaming it over the old one, so a power
/// cut leaves either the old or the new counters. A cut loses at most one interval, which the governor then
/// counts as full-rate traffic.
/// </summary>
public sealed class BandwidthCounterStore(string path, BandwidthGovernor governor, IOptions<BandwidthOptions> options, TimeProvider time) : BackgroundService
{
    public const string FileName = "bandwidth.json";

    private BandwidthCounters? _saved;

    public static BandwidthCounters? Load(string path)
    {
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject json)
            {
                return null;
            }

            return new BandwidthCounters(
                DateTime.Parse(json["period_start"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                json["ingress_bytes"]!.GetValue<long>(),
                json["egress_bytes"]!.GetValue<long>(),
                json["clean"]!.GetValue<bool>());
        }
        catch (Exception error) when (error is IOException or System.Text.Json.JsonException or FormatException or InvalidOperationException or NullReferenceException)
        {
            // Missing or unreadable counters start the period from zero.
            return null;
        }
    }

    public void Save(bool clean)
    {
        var counters = governor.Snapshot(clean);
        if (counters == _saved)
        {
            return;
        }

        var json = new JsonObject
        {
            ["period_start"] = counters.PeriodStart.ToString("s", CultureInfo.InvariantCulture),
            ["ingress_bytes"] = counters.IngressBytes,
            ["egress_bytes"] = counters.EgressBytes,
            ["clean"] = clean,
        };
        var temporary = path + ".new";
        using (var file = Identity.OwnerOnlyFiles.Open(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        _saved = counters;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Save(clean: true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Save(clean: false);
        using var timer = new PeriodicTimer(options.Value.SaveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Save(clean: false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
