using System.Globalization;
using System.Net;
using System.Text;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Console;

/// <summary>What one page render needs besides the status view.</summary>
public sealed record PageContext(StatusView View, ConsoleHistory History, string HostName, TimeSpan UtcOffset, string? Csrf,
    IReadOnlyDictionary<string, string> FileSettings, string SettingsFilePath, string? Notice = null, IReadOnlyList<string>? Problems = null)
{
    /// <summary>Browsers that have claimed the console and may change things now.</summary>
    public int Sessions { get; init; }
}

/// <summary>
/// The console page, rendered whole on the server: plain HTML, inline SVG plots, a stylesheet from the board
/// and no script, refreshed by the browser every 15 s (always as a GET of /, so an answer to a form is never re-sent). Every figure the node did not report reads "unknown".
/// </summary>
public static class ConsolePage
{
    public static string Render(PageContext page)
    {
        var view = page.View;
        var figures = view.Report?.Figures;
        var html = new StringBuilder(32 * 1024);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<meta http-equiv=\"refresh\" content=\"15; url=/\"><link rel=\"stylesheet\" href=\"/console.css\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>{E(StateDisplay.NameOf(view.State))} · {E(page.HostName)}</title></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<header><h1>Session node <span class=\"host\">{E(page.HostName)}</span></h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"sub\">version {E(figures?.Version ?? "unknown")} · node up {E(figures?.UptimeSeconds is { } up ? ConsoleText.Duration(TimeSpan.FromSeconds(up)) : "unknown")} · console up {E(ConsoleText.Duration(view.Now - view.ServiceStarted))}</p></header>");
        Health(html, view);
        if (page.Notice is { } notice)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"notice\" class=\"notice\">{E(notice)}</p>");
        }

        if (page.Problems is { Count: > 0 } problems)
        {
            html.Append("<div id=\"problems\" class=\"problems\"><p>Nothing was changed:</p><ul>");
            problems.ToList().ForEach(p => html.Append(CultureInfo.InvariantCulture, $"<li>{E(p)}</li>"));
            html.Append("</ul></div>");
        }

        Facts(html, view, figures);
        Bandwidth(html, page, figures);
        var recent = page.History.Recent();
        html.Append("<section><h2>Messages stored</h2>").Append(SvgChart.Render(ConsoleCharts.Messages(recent, view.Now))).Append("</section>");
        Requests(html, page, recent, figures);
        Control(html, page, figures);
        html.Append("<footer>Figures as the node and the board report them; <a href=\"/metrics\">/metrics</a> has them for Prometheus, <a href=\"/api/status\">/api/status</a> as JSON.</footer>");
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void Health(StringBuilder html, StatusView view)
    {
        // The light's own colour for the state, from the stylesheet (the policy allows no inline styles).
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"health\" class=\"health state-{view.State.ToString().ToLowerInvariant()}\" data-state=\"{view.State}\"><h2><span class=\"dot\"></span>{E(StateDisplay.NameOf(view.State))}</h2><ul>");
        foreach (var (state, reason) in view.Reasons)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><b>{E(StateDisplay.NameOf(state))}</b>: {E(reason)}</li>");
        }

        html.Append("</ul>");
        if (view.Contact == NodeContact.Lost)
        {
            var last = view.LastAnswer is { } at ? $"its last answer was {ConsoleText.Duration(view.Now - at)} ago" : "it has not answered since the console started";
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"node-hung\">The node is hung, crashed or restarting: {E(last)}. The figures below are its last report.</p>");
        }

        html.Append("</section>");
    }

    private static void Facts(StringBuilder html, StatusView view, NodeFigures? f)
    {
        var board = view.Board;
        html.Append("<section><h2>At a glance</h2><dl class=\"facts\">");
        Fact(html, "swarm", f?.SwarmId is { } id ? $"{id} · {f.SwarmMembers} {(f.SwarmMembers == 1 ? "member" : "members")} of {f.NetworkNodes} {(f.NetworkNodes == 1 ? "node" : "nodes")}" : "unknown");
        Fact(html, "reachable", f?.Reachable switch
        {
            true => $"yes: other nodes reach this one ({f.PeersTested} peers tested)",
            false => "no: no other node has reached this one lately (check the port forward)",
            _ => "not tested yet",
        });
        Fact(html, "messages", f?.Messages is { } m ? ConsoleText.Number(m) : "unknown");
        Fact(html, "on the card", f?.FileBytes is { } fb ? $"{ConsoleText.Bytes(fb)} (messages {ConsoleText.Bytes(f.UsedBytes ?? 0)} of {ConsoleText.Bytes(f.CapacityBytes ?? 0)})" : "unknown");
        Fact(html, "card writes", f?.CardBytesPerDay is { } perDay
            ? $"{ConsoleText.Bytes(perDay)} per day; the card lasts about {(f.CardLifeYears is { } y ? y.ToString("0.#", CultureInfo.InvariantCulture) + " years" : "forever")} at this rate"
            : "measuring (needs a few minutes)");
        Fact(html, "temperature", board.CpuCelsius is { } c ? c.ToString("0.0", CultureInfo.InvariantCulture) + " °C" : "unknown (no sensor)");
        Fact(html, "throttled", board.Throttled switch { true => "yes", false => "no", _ => "unknown" });
        Fact(html, "under-voltage", board.UnderVoltage switch { true => "yes: use a better power supply", false => "no", _ => "unknown" });
        html.Append("</dl></section>");
    }

    private static void Bandwidth(StringBuilder html, PageContext page, NodeFigures? f)
    {
        var b = f?.Bandwidth;
        html.Append("<section><h2>Bandwidth this period</h2>");
        if (b is not null)
        {
            html.Append("<dl class=\"facts\">");
            Fact(html, "used", $"{ConsoleText.Bytes(b.CountedBytes)} counted ({b.Rule}): {ConsoleText.Bytes(b.IngressBytes)} in, {ConsoleText.Bytes(b.EgressBytes)} out");
            Fact(html, "quota", b.QuotaBytes is { } q ? $"{ConsoleText.Bytes(q)} from {b.PeriodStart:d MMM} to {b.PeriodEnd:d MMM} ({b.Policy})" : "none");
            Fact(html, "pace", b.ProjectedBytes is { } p ? $"at today's pace the period ends at {ConsoleText.Bytes(p)}" : "unknown");
            Fact(html, "rates now", $"in {ConsoleText.Rate(b.IngressRate)}, out {ConsoleText.Rate(b.EgressRate)} (set by {b.LimitedBy})");
            Fact(html, "slower windows", b.Schedule.Count == 0 ? "none" : string.Join(", ", b.Schedule.Select(w => $"{w.From}–{w.To} at {ConsoleText.Rate(w.Rate)}")));
            html.Append("</dl>");
        }

        html.Append(SvgChart.Render(ConsoleCharts.Bandwidth(b, page.History.Daily(), page.View.Now, page.UtcOffset)));
        html.Append("<p class=\"legend\"><span class=\"k s-counted\">counted</span> <span class=\"k s-in\">in</span> <span class=\"k s-out\">out</span> <span class=\"k s-pace\">pace</span> <span class=\"k limit\">quota</span></p></section>");
    }

    private static void Requests(StringBuilder html, PageContext page, IReadOnlyList<HistoryPoint> recent, NodeFigures? f)
    {
        html.Append("<section><h2>Requests per second</h2>");
        html.Append(SvgChart.Render(ConsoleCharts.Requests(recent, page.View.Now, page.UtcOffset, f?.Bandwidth?.Schedule ?? [])));
        html.Append("<p class=\"legend\">");
        foreach (var (name, css, _) in ConsoleCharts.RequestClasses)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"k {css}\">{E(name)}</span> ");
        }

        html.Append("<span class=\"k band\">slower window</span></p></section>");
    }

    private static void Control(StringBuilder html, PageContext page, NodeFigures? f)
    {
        html.Append("<section id=\"control\"><h2>Change settings</h2>");
        if (page.Sessions > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"sessions\" class=\"sub\">{page.Sessions} browser(s) may change settings now.{(page.Csrf is null ? " If you did not claim the console, a device on your network did: claim it yourself and sign every browser out." : "")}</p>");
        }

        if (page.Csrf is not { } csrf)
        {
            html.Append(page.View.PairingOpen
                ? "<p>The pairing window is open. Claim it to change settings from this browser:</p>"
                : "<p>Anyone on your network can read this page; changing anything needs you at the board. <b>Press the button twice quickly</b>: the light pulses blue for 5 minutes, and then this browser can claim the console.</p>");
            html.Append("<form method=\"post\" action=\"/pair\"><button id=\"claim\" type=\"submit\">Claim the console</button></form></section>");
            return;
        }

        var hidden = $"<input type=\"hidden\" name=\"csrf\" value=\"{E(csrf)}\">";
        html.Append("<p>This browser may change settings until its session ends. <form class=\"inline\" method=\"post\" action=\"/signout\">").Append(hidden).Append("<button type=\"submit\">Sign out</button></form> ");
        html.Append("<form class=\"inline\" method=\"post\" action=\"/signout\">").Append(hidden).Append("<input type=\"hidden\" name=\"everywhere\" value=\"yes\"><button id=\"signout-all\" type=\"submit\">Sign out every browser</button></form></p>");
        html.Append("<div class=\"actions\">");
        foreach (var (name, label, confirm) in new[] { ("identify", "Identify (blink)", false), ("restart-node", "Restart the node", false), ("reboot", "Reboot the board", true), ("shutdown", "Shut the board down", true) })
        {
            html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/action/{name}\">{hidden}");
            if (confirm)
            {
                html.Append(CultureInfo.InvariantCulture, $"<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> sure</label> ");
            }

            html.Append(CultureInfo.InvariantCulture, $"<button id=\"action-{name}\" type=\"submit\">{E(label)}</button></form>");
        }

        html.Append("</div><h3>Bandwidth</h3>");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"sub\">These settings live in <code>{E(Path.GetFileName(page.SettingsFilePath))}</code> on the card's boot partition. This form writes them there, so the file and this page always agree: whichever was saved last wins, and the node applies it at once (from the page) or at the next boot (from the file). Empty means the default (no limit).</p>");
        html.Append("<form id=\"bandwidth\" method=\"post\" action=\"/settings\">").Append(hidden).Append("<div class=\"fields\">");
        foreach (var (key, label, example) in new[]
        {
            ("bandwidth_rate", "Rate, each direction", "2 MB/s"), ("bandwidth_burst", "Burst", "4 MB"), ("monthly_quota", "Monthly quota", "500 GB"),
            ("quota_start_day", "Quota month starts on day", "1"), ("bandwidth_policy", "Near the quota", "Pace or Hibernate"),
            ("quota_rule", "Quota counts", "InPlusOut, MaxOfBoth or OutOnly"), ("bandwidth_schedule", "Slower windows", "18:00-23:00 1 MB/s, 01:00-06:00 10 MB/s"),
        })
        {
            var value = page.FileSettings.TryGetValue(key, out var v) ? v : "";
            html.Append(CultureInfo.InvariantCulture, $"<label>{E(label)}<input name=\"{key}\" value=\"{E(value)}\" placeholder=\"{E(example)}\"></label>");
        }

        html.Append("</div><button id=\"save-bandwidth\" type=\"submit\">Save and apply</button></form>");
        Updates(html, page, hidden);
        html.Append("</section>");
    }

    private static void Updates(StringBuilder html, PageContext page, string hidden)
    {
        var on = UpdateChange.IsOn(page.FileSettings);
        var window = page.FileSettings.TryGetValue("update_window", out var w) ? w : "";
        html.Append("<h3>Updates</h3>");
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"update-policy\" class=\"sub\">{(on
            ? $"Signed updates install by themselves between {E(window.Length > 0 ? window : UpdateChange.DefaultWindow)} local time; a new version that fails its health check is rolled back on its own."
            : "Automatic updates are off: the board installs one only when you run <code>session-appliance update</code> over SSH, or from a bundle you put on the boot partition.")}</p>");
        html.Append("<form id=\"updates\" method=\"post\" action=\"/settings/update\">").Append(hidden).Append("<div class=\"fields\">");
        html.Append(CultureInfo.InvariantCulture, $"<label>Install updates automatically<select name=\"auto_update\"><option value=\"yes\"{(on ? " selected" : "")}>yes</option><option value=\"no\"{(on ? "" : " selected")}>no</option></select></label>");
        html.Append(CultureInfo.InvariantCulture, $"<label>Install window (local time)<input name=\"update_window\" value=\"{E(window)}\" placeholder=\"{UpdateChange.DefaultWindow}\"></label>");
        html.Append("</div><button id=\"save-updates\" type=\"submit\">Save</button></form>");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{E(name)}</dt><dd>{E(value)}</dd>");

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
