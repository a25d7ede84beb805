using System.Xml.Linq;
using SessionAppliance.Status.Console;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Tests.Console;

public class ConsoleChartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 15, 12, 0, 0, TimeSpan.Zero);

    private static HistoryPoint At(DateTimeOffset time, long stores, long messages = 0, long counted = 0) =>
        new(time.ToUnixTimeSeconds(), messages, 0, counted / 2, counted / 2, counted, stores, 0, 0, 0, 0);

    [Fact]
    public void Request_rates_come_from_the_totals_and_a_restart_counts_from_zero()
    {
        HistoryPoint[] points = [At(Now.AddMinutes(-3), 0), At(Now.AddMinutes(-2), 600), At(Now.AddMinutes(-1), 60)];

        var chart = ConsoleCharts.Requests(points, Now, TimeSpan.Zero, []);

        var store = chart.Series.Single(s => s.Name == "store").Points;
        Assert.Equal([10.0, 1.0], store.Select(p => p.Y));
        Assert.Equal(-1.0 / 60, store[1].X, 6);
    }

    [Fact]
    public void Schedule_windows_are_shaded_including_one_across_midnight()
    {
        var chart = ConsoleCharts.Requests([], Now, TimeSpan.Zero, [("23:00", "01:00", 1e6)]);

        Assert.Contains(chart.Bands, b => b.From == -13 && b.To == -11);
    }

    [Fact]
    public void An_overnight_window_that_began_two_days_back_is_still_shaded_where_it_reaches_the_last_24_hours()
    {
        var threeAm = new DateTimeOffset(2026, 12, 15, 3, 0, 0, TimeSpan.Zero);

        var chart = ConsoleCharts.Requests([], threeAm, TimeSpan.Zero, [("22:00", "06:00", 1e6)]);

        Assert.Contains(chart.Bands, b => b.From == -29 && b.To == -21);
        Assert.Contains(chart.Bands, b => b.From == -5 && b.To == 3);
    }

    [Fact]
    public void The_bandwidth_plot_has_the_quota_and_a_pace_line_to_the_period_end()
    {
        var bandwidth = new BandwidthFigures(new DateTime(2026, 12, 1), new DateTime(2027, 1, 1), 3_000_000_000, 1_000_000_000, 4_000_000_000,
            10_000_000_000, 8_900_000_000, "InPlusOut", "Pace", null, null, "nothing", []);
        (DateOnly, HistoryPoint)[] daily = [(new DateOnly(2026, 12, 5), At(new DateTimeOffset(2026, 12, 5, 23, 59, 0, TimeSpan.Zero), 0, counted: 1_000_000_000))];

        var chart = ConsoleCharts.Bandwidth(bandwidth, daily, Now, TimeSpan.Zero);

        Assert.Equal(10_000_000_000, chart.Limits.Single().Y);
        var pace = chart.Series.Single(s => s.Name == "pace");
        Assert.True(pace.Dashed);
        Assert.Equal((31.0, 8_900_000_000.0), pace.Points[^1]);
        Assert.Equal(3, chart.Series.Single(s => s.Name == "counted").Points.Count);
    }

    [Fact]
    public void The_svg_is_well_formed_and_draws_each_series_with_its_points()
    {
        HistoryPoint[] points = [.. Enumerable.Range(0, 30).Select(i => At(Now.AddMinutes(i - 30), i * 10, messages: i * 3))];

        var svg = XElement.Parse(SvgChart.Render(ConsoleCharts.Messages(points, Now)));

        XNamespace ns = "http://www.w3.org/2000/svg";
        var line = svg.Elements(ns + "polyline").Single();
        Assert.Equal("30", line.Attribute("data-points")!.Value);
        Assert.Equal(30, line.Attribute("points")!.Value.Split(' ').Length);
    }

    [Fact]
    public void An_empty_chart_says_why()
    {
        var svg = SvgChart.Render(ConsoleCharts.Messages([], Now));

        Assert.Contains("no data yet", svg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.7, 1)]
    [InlineData(3, 4)]
    [InlineData(4.5, 5)]
    [InlineData(1234, 2000)]
    public void Grid_lines_fall_on_round_numbers(double value, double expected) => Assert.Equal(expected, SvgChart.NiceCeiling(value));
}
