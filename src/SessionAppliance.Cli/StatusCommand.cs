using System.Globalization;
using System.Text.Json;
using SessionAppliance.Status.Console;
using Spectre.Console;

namespace SessionAppliance.Cli;

/// <summary>
/// `session-appliance status`: the console's /api/status in a terminal, in colour where the terminal takes it
/// (Spectre.Console honours NO_COLOR and pipes), or as the JSON itself with --json.
/// </summary>
internal static class StatusCommand
{
    private static readonly Dictionary<string, string> Colours = new(StringComparer.Ordinal)
    {
        ["healthy"] = "green", ["degraded"] = "yellow", ["not ready"] = "blue", ["error (node down)"] = "red", ["starting"] = "cyan",
        ["booting"] = "white", ["update in progress"] = "magenta", ["identify"] = "white", ["pairing (console)"] = "blue", ["shutting down"] = "red",
    };

    public static async Task<int> RunAsync(IAnsiConsole console, HttpClient http, Uri consoleUrl, bool json, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await http.GetStringAsync(new Uri(consoleUrl, "api/status"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            console.MarkupLine($"[red]The status service does not answer at {Markup.Escape(consoleUrl.ToString())}[/] ({Markup.Escape(error.Message)}).");
            console.MarkupLine("Check it with: systemctl status session-appliance-status");
            return 2;
        }

        if (json)
        {
            console.Profile.Out.Writer.WriteLine(body);
            return 0;
        }

        using var document = JsonDocument.Parse(body);
        Render(console, document.RootElement);
        // Healthy only when every reason is: identify or pairing shown on top must not hide a node that is down.
        var fine = document.RootElement.GetProperty("reasons").EnumerateArray()
            .All(r => r.GetProperty("state").GetString() is "healthy" or "pairing (console)" or "identify");
        return fine ? 0 : 1;
    }

    public static void Render(IAnsiConsole console, JsonElement s)
    {
        var state = Text(s, "state") ?? "unknown";
        var colour = Colours.GetValueOrDefault(state, "default");
        console.MarkupLine($"[bold {colour}]● {Markup.Escape(state)}[/]  {Markup.Escape(Text(s, "host") ?? "")}  version {Markup.Escape(Text(s, "version") ?? "unknown")}");
        foreach (var reason in s.GetProperty("reasons").EnumerateArray())
        {
            var reasonState = Text(reason, "state") ?? "";
            console.MarkupLine($"  [{Colours.GetValueOrDefault(reasonState, "default")}]{Markup.Escape(reasonState)}[/]: {Markup.Escape(Text(reason, "reason") ?? "")}");
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Markup($"[grey]{Markup.Escape(name)}[/]"), new Text(value));
        Row("node", $"{Text(s, "node_contact")}" + (Number(s, "node_uptime_seconds") is { } up ? $", up {ConsoleText.Duration(TimeSpan.FromSeconds(up))}" : ""));
        Row("swarm", Text(s, "swarm_id") is { } swarm ? $"{swarm} · {Number(s, "swarm_members")} members of {Number(s, "network_nodes")} nodes" : "unknown");
        Row("reachable", s.GetProperty("reachable").ValueKind switch { JsonValueKind.True => "yes", JsonValueKind.False => "no: check the port forward", _ => "not tested yet" });
        Row("messages", Number(s, "messages") is { } m ? $"{ConsoleText.Number(m)} ({ConsoleText.Bytes(Number(s, "store_file_bytes") ?? 0)} on the card)" : "unknown");
        Row("card writes", Number(s, "card_write_bytes_per_day") is { } w
            ? $"{ConsoleText.Bytes(w)} per day" + (Number(s, "card_life_years") is { } y ? $", the card lasts about {y.ToString("0.#", CultureInfo.InvariantCulture)} years" : "")
            : "measuring");
        if (s.TryGetProperty("bandwidth", out var b) && b.ValueKind == JsonValueKind.Object)
        {
            var quota = Number(b, "quota_bytes") is { } q ? $" of {ConsoleText.Bytes(q)}" : " (no quota)";
            var pace = Number(b, "projected_bytes") is { } p ? $"; at today's pace {ConsoleText.Bytes(p)} by {Text(b, "period_end")}" : "";
            Row("bandwidth", $"{ConsoleText.Bytes(Number(b, "counted_bytes") ?? 0)}{quota} this period{pace}");
        }

        if (s.TryGetProperty("requests_total", out var r) && r.ValueKind == JsonValueKind.Object)
        {
            Row("requests", string.Join(" · ", r.EnumerateObject().Select(c => $"{c.Name} {ConsoleText.Number(c.Value.GetDouble())}")) + " since the node started");
        }

        Row("board", string.Join(", ",
            Number(s, "cpu_celsius") is { } c ? $"{c.ToString("0.0", CultureInfo.InvariantCulture)} °C" : "temperature unknown",
            Flag(s, "throttled", "throttled", "not throttled", "throttling unknown"),
            Flag(s, "under_voltage", "UNDER-VOLTAGE", "power fine", "power unknown")));
        console.Write(grid);
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Flag(JsonElement e, string name, string yes, string no, string unknown) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.True => yes, JsonValueKind.False => no, _ => unknown } : unknown;
}
