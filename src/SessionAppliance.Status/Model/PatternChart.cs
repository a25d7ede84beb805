using System.Globalization;
using System.Text;

namespace SessionAppliance.Status.Model;

/// <summary>
/// Draws the state table as an SVG timing chart: one row per state in priority order, 4 s of the pattern as
/// lit/dark bars, with the RGB colour and the blink count a short press spells. hardware/led-patterns.svg is
/// this output, and a test keeps the two identical.
/// </summary>
public static class PatternChart
{
    private const int Seconds = 4;
    private const int PixelsPerSecond = 150;
    private const int RowHeight = 34;
    private const int Left = 300;

    public static string Svg()
    {
        var rows = Enum.GetValues<ApplianceState>()
            .Select(s => (Name: Label(s), Pattern: StateDisplay.PatternOf(s), Color: StateDisplay.ColorOf(s), Count: StateDisplay.BlinkCountOf(s).ToString(CultureInfo.InvariantCulture)))
            .Append((Name: "button held 3 s: release to shut down", Pattern: StateDisplay.ShutdownArmed, Color: LedColor.Red, Count: "–"))
            .Append((Name: "button held 10 s: press again to reset", Pattern: StateDisplay.ResetArmed, Color: LedColor.Magenta, Count: "–"))
            .ToList();
        var width = Left + Seconds * PixelsPerSecond + 110;
        var height = 50 + rows.Count * RowHeight;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append("<text x=\"10\" y=\"20\" font-weight=\"bold\">State (top wins when several hold)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"20\" font-weight=\"bold\">LED over {Seconds} s (lit = filled)</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + Seconds * PixelsPerSecond + 12}\" y=\"20\" font-weight=\"bold\">RGB · blinks</text>\n");
        for (var second = 0; second <= Seconds; second++)
        {
            var x = Left + second * PixelsPerSecond;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"28\" x2=\"{x}\" y2=\"{height - 8}\" stroke=\"#ddd\"/><text x=\"{x + 2}\" y=\"40\" fill=\"#888\" font-size=\"10\">{second} s</text>\n");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            AppendRow(svg, 48 + i * RowHeight, rows[i].Name, rows[i].Pattern, rows[i].Color, rows[i].Count);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void AppendRow(StringBuilder svg, int top, string name, LedPattern pattern, LedColor color, string count)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{top + 17}\">{name}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{top + 4}\" width=\"{Seconds * PixelsPerSecond}\" height=\"18\" fill=\"#f2f2f2\"/>\n");
        var ms = 0;
        while (ms < Seconds * 1000)
        {
            foreach (var (on, length) in pattern.Steps)
            {
                var visible = Math.Min(length, Seconds * 1000 - ms);
                if (on && visible > 0)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + ms * PixelsPerSecond / 1000.0:0.#}\" y=\"{top + 4}\" width=\"{visible * PixelsPerSecond / 1000.0:0.#}\" height=\"18\" fill=\"#222\"/>\n");
                }

                ms += length;
            }
        }

        var swatch = $"#{color.R:x2}{color.G:x2}{color.B:x2}";
        var x = Left + Seconds * PixelsPerSecond + 14;
        svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x + 8}\" cy=\"{top + 13}\" r=\"8\" fill=\"{swatch}\" stroke=\"#444\"/><text x=\"{x + 24}\" y=\"{top + 17}\">{count}</text>\n");
    }

    private static string Label(ApplianceState state) => StateDisplay.NameOf(state);
}
