using System.Globalization;
using System.Text;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Console;

/// <summary>The page's stylesheet, served by the board; the state colours come from the light's own table.</summary>
public static class ConsoleStyle
{
    public static readonly string Css = Build();

    private static string Build()
    {
        var css = new StringBuilder("""
            body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:780px;padding:12px;color:#1b1b1b;background:#fafafa}
            h1{font-size:1.4em;margin:.2em 0}.host{color:#666;font-weight:normal}h2{font-size:1.1em;margin:.2em 0 .4em}
            section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;margin:10px 0}
            .sub{color:#555;margin:0;font-size:.92em}.health{border-width:2px}.health h2{font-size:1.3em}
            .dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.4em;border:1px solid #444}
            .facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}.facts dt{color:#555}.facts dd{margin:0}
            .chart{width:100%;height:auto}.grid{stroke:#eee}.axis{font-size:11px;fill:#666}.empty{font-size:13px;fill:#999}
            .series{fill:none;stroke-width:2}.dashed{stroke-dasharray:6 4}.limit{stroke:#c00;stroke-dasharray:3 3}.limit-label{font-size:11px;fill:#c00}
            .band{fill:#f3e8ff}.legend{font-size:.9em;color:#444}.k::before{content:"";display:inline-block;width:14px;height:3px;margin:0 4px 3px 0;background:currentColor}
            .s-counted{stroke:#111;color:#111}.s-in{stroke:#2563eb;color:#2563eb}.s-out{stroke:#16a34a;color:#16a34a}.s-pace{stroke:#888;color:#888}.k.limit{color:#c00}
            .s-messages{stroke:#7c3aed;color:#7c3aed}.s-store{stroke:#2563eb;color:#2563eb}.s-retrieve{stroke:#16a34a;color:#16a34a}
            .s-onion{stroke:#ea580c;color:#ea580c}.s-swarm{stroke:#0891b2;color:#0891b2}.s-other{stroke:#888;color:#888}.k.band{color:#d8b4fe}
            .notice{background:#ecfdf5;border:1px solid #10b981;padding:8px;border-radius:6px}.problems{background:#fef2f2;border:1px solid #ef4444;padding:8px;border-radius:6px}
            .actions{display:flex;flex-wrap:wrap;gap:8px}.fields{display:grid;gap:6px}.fields label{display:grid;grid-template-columns:14em 1fr;align-items:center}
            .inline{display:inline}button{font:inherit;padding:4px 12px}footer{color:#777;font-size:.85em;margin:14px 0}

            """);
        foreach (var state in Enum.GetValues<ApplianceState>())
        {
            var c = StateDisplay.ColorOf(state);
            var name = state.ToString().ToLowerInvariant();
            // A white light (booting, identify) gets a grey frame: white on the white page would not show.
            var border = c == LedColor.White ? "#888888" : $"#{c.R:x2}{c.G:x2}{c.B:x2}";
            css.Append(CultureInfo.InvariantCulture, $".state-{name}{{border-color:{border}}}.state-{name} .dot{{background:#{c.R:x2}{c.G:x2}{c.B:x2}}}\n");
        }

        return css.ToString();
    }
}
