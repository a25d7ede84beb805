using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Storage;

/// <summary>
/// What this node writes to the card, per day: bytes it asked the OS to write and bytes the block layer saw
/// (<c>/proc/self/io</c>), and the card lifetime that rate projects from its rated endurance. Kept in memory
/// only — recording wear must not add wear — and sampled once a minute.
/// </summary>
public sealed class WearAccounting(IOptions<StorageOptions> options, TimeProvider time) : BackgroundService
{
    private const int DaysKept = 7;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<DateOnly, (long Requested, long Block)> _days = [];
    private ProcessIo? _first;
    private ProcessIo? _last;
    private DateTimeOffset _firstAt;
    private DateTimeOffset _lastAt;

    /// <summary>Takes a sample now; the background loop calls it every minute.</summary>
    public void Sample()
    {
        if (ProcessIo.Read() is not { } io)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_last is { } last)
            {
                var day = DateOnly.FromDateTime(now.UtcDateTime);
                _days.TryGetValue(day, out var today);
                _days[day] = (today.Requested + io.RequestedWriteBytes - last.RequestedWriteBytes, today.Block + io.BlockWriteBytes - last.BlockWriteBytes);
                while (_days.Count > DaysKept)
                {
                    _days.Remove(_days.Keys.First());
                }
            }
            else
            {
                _first = io;
                _firstAt = now;
            }

            _last = io;
            _lastAt = now;
        }
    }

    /// <summary>The figures for health: today, the last days, and the projected card life at the measured rate.</summary>
    public JsonObject Report()
    {
        lock (_lock)
        {
            var report = new JsonObject
            {
                ["days"] = new JsonArray([.. _days.Select(d => (JsonNode)new JsonObject
                {
                    ["date"] = d.Key.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["requested_bytes"] = d.Value.Requested,
                    ["block_bytes"] = d.Value.Block,
                })]),
                ["card_endurance_tbw"] = options.Value.CardEnduranceTbw,
            };
            if (_first is { } first && _last is { } last && _lastAt - _firstAt >= TimeSpan.FromMinutes(1))
            {
                var perDay = (last.BlockWriteBytes - first.BlockWriteBytes) / (_lastAt - _firstAt).TotalDays;
                report["block_bytes_per_day"] = Math.Round(perDay);
                report["projected_card_life_years"] = perDay <= 0 ? null : Math.Round(options.Value.CardEnduranceTbw * 1e12 / perDay / 365.25, 1);
            }

            return report;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Sample();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
