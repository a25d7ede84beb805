using System.Globalization;
using System.Net;
using System.Text;

namespace SessionAppliance.Status.Console;

/// <summary>A line of a chart: its points in chart units, and the CSS class that colours it.</summary>
public sealed record ChartSeries(string Name, string CssClass, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>
/// Everything one chart shows. X is in the chart's own unit (hours, days); <see cref="Limits"/> are
/// horizontal lines such as a quota, <see cref="Bands"/> shaded stretches of X such as schedule windows.
/// </summary>
public sealed record ChartSpec(string Id, string Title, double XMin, double XMax, IReadOnlyList<ChartSeries> Series, Func<double, string> FormatY,
    IReadOnlyList<(double X, string Label)> XLabels)
{
    public IReadOnlyList<(double Y, string Label)> Limits { get; init; } = [];

    public IReadOnlyList<(double From, double To, string Label)> Bands { get; init; } = [];
}

/// <summary>
/// Renders a line chart as inline SVG on the server: no script and nothing fetched by the browser, so the page
/// works under a strict content security policy and costs the board only string building.
/// </summary>
public static class SvgChart
{
    private const int Width = 720;
    private const int Height = 220;
    private const int Left = 72;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 26;

    public static string Render(ChartSpec chart)
    {
        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{chart.Id}\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(chart.Title)}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Encode(chart.Title)}</title>");
        var values = chart.Series.SelectMany(s => s.Points.Select(p => p.Y)).Concat(chart.Limits.Select(l => l.Y)).ToList();
        var yMax = NiceCeiling(values.Count == 0 ? 1 : Math.Max(values.Max(), 1e-9) * 1.05);
        var xSpan = Math.Max(chart.XMax - chart.XMin, 1e-9);
        double X(double x) => Left + ((x - chart.XMin) / xSpan * (Width - Left - Right));
        double Y(double y) => Height - Bottom - (y / yMax * (Height - Top - Bottom));

        foreach (var (from, to, label) in chart.Bands)
        {
            var (x0, x1) = (X(Math.Max(from, chart.XMin)), X(Math.Min(to, chart.XMax)));
            if (x1 > x0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"band\" x=\"{x0:0.#}\" y=\"{Top}\" width=\"{x1 - x0:0.#}\" height=\"{Height - Top - Bottom}\"><title>{Encode(label)}</title></rect>");
            }
        }

        for (var i = 0; i <= 4; i++)
        {
            var y = yMax * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(y):0.#}\" y2=\"{Y(y):0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left - 6}\" y=\"{Y(y) + 4:0.#}\" text-anchor=\"end\">{Encode(chart.FormatY(y))}</text>");
        }

        foreach (var (x, label) in chart.XLabels)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{X(x):0.#}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Encode(label)}</text>");
        }

        foreach (var (y, label) in chart.Limits)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"limit\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(y):0.#}\" y2=\"{Y(y):0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"limit-label\" x=\"{Width - Right - 4}\" y=\"{Y(y) - 4:0.#}\" text-anchor=\"end\">{Encode(label)}</text>");
        }

        foreach (var series in chart.Series)
        {
            var points = string.Join(' ', series.Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}")));
            var dash = series.Dashed ? " dashed" : "";
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series {series.CssClass}{dash}\" data-name=\"{Encode(series.Name)}\" data-points=\"{series.Points.Count}\" data-max=\"{(series.Points.Count == 0 ? 0 : series.Points.Max(p => p.Y)):0.###}\" points=\"{points}\"/>");
        }

        if (chart.Series.All(s => s.Points.Count == 0))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"empty\" x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no data yet: the console samples the node once a minute</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above the value, so the grid lines fall on round numbers.</summary>
    public static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2.0, 4.0, 5.0, 10.0 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }

        return 10 * power;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
