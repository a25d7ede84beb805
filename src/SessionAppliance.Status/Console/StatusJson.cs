using System.Text.Json;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Console;

/// <summary>The console's facts as JSON (/api/status): what `session-appliance status --json` prints. Written by hand: no reflection under AOT.</summary>
public static class StatusJson
{
    public static void Write(Utf8JsonWriter json, StatusView view, string hostName)
    {
        var f = view.Report?.Figures;
        json.WriteStartObject();
        json.WriteString("host", hostName);
        json.WriteString("state", StateDisplay.NameOf(view.State));
        json.WriteStartArray("reasons");
        foreach (var (state, reason) in view.Reasons)
        {
            json.WriteStartObject();
            json.WriteString("state", StateDisplay.NameOf(state));
            json.WriteString("reason", reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("node_contact", view.Contact switch { NodeContact.Answering => "answering", NodeContact.Lost => "not answering", _ => "not yet answered" });
        Number(json, "seconds_since_node_answered", view.LastAnswer is { } at ? Math.Round((view.Now - at).TotalSeconds) : null);
        json.WriteBoolean("pairing_open", view.PairingOpen);
        json.WriteString("version", f?.Version);
        Number(json, "node_uptime_seconds", f?.UptimeSeconds);
        json.WriteString("swarm_id", f?.SwarmId);
        Number(json, "swarm_members", f?.SwarmMembers);
        Number(json, "network_nodes", f?.NetworkNodes);
        if (f?.Reachable is { } reachable)
        {
            json.WriteBoolean("reachable", reachable);
        }
        else
        {
            json.WriteNull("reachable");
        }

        Number(json, "messages", f?.Messages);
        Number(json, "store_file_bytes", f?.FileBytes);
        Number(json, "storage_used_bytes", f?.UsedBytes);
        Number(json, "storage_capacity_bytes", f?.CapacityBytes);
        Number(json, "card_write_bytes_per_day", f?.CardBytesPerDay);
        Number(json, "card_life_years", f?.CardLifeYears);
        if (f?.Bandwidth is { } b)
        {
            json.WriteStartObject("bandwidth");
            json.WriteString("period_start", b.PeriodStart?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("period_end", b.PeriodEnd?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("ingress_bytes", b.IngressBytes);
            json.WriteNumber("egress_bytes", b.EgressBytes);
            json.WriteNumber("counted_bytes", b.CountedBytes);
            Number(json, "quota_bytes", b.QuotaBytes);
            Number(json, "projected_bytes", b.ProjectedBytes);
            Number(json, "ingress_rate", b.IngressRate);
            Number(json, "egress_rate", b.EgressRate);
            json.WriteString("limited_by", b.LimitedBy);
            json.WriteEndObject();
        }

        json.WriteStartObject("requests_total");
        foreach (var (name, total) in f?.Requests ?? new Dictionary<string, long>())
        {
            json.WriteNumber(name, total);
        }

        json.WriteEndObject();
        Number(json, "cpu_celsius", view.Board.CpuCelsius);
        Flag(json, "throttled", view.Board.Throttled);
        Flag(json, "under_voltage", view.Board.UnderVoltage);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Flag(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } v)
        {
            json.WriteBoolean(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
