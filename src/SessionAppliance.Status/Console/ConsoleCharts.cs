using System.Globalization;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.Console;

/// <summary>The page's three plots, from the history and the node's latest figures.</summary>
public static class ConsoleCharts
{
    public static readonly (string Name, string Css, Func<HistoryPoint, long> Total)[] RequestClasses =
    [
        ("store", "s-store", p => p.Stores),
        ("retrieve", "s-retrieve", p => p.Retrieves),
        ("onion", "s-onion", p => p.Onion),
        ("swarm", "s-swarm", p => p.Swarm),
        ("other client", "s-other", p => p.OtherClient),
    ];

    /// <summary>Used this period against the quota, with the pace line from now to where today's rate ends the period.</summary>
    public static ChartSpec Bandwidth(BandwidthFigures? bandwidth, IReadOnlyList<(DateOnly Day, HistoryPoint Point)> daily, DateTimeOffset now, TimeSpan utcOffset)
    {
        if (bandwidth is not { PeriodStart: { } start, PeriodEnd: { } end })
        {
            return new ChartSpec("chart-bandwidth", "Bandwidth this period", 0, 30, [], ConsoleText.Bytes, []);
        }

        var length = Math.Max((end - start).TotalDays, 1);
        var startUtc = new DateTimeOffset(start, utcOffset);
        double DayOf(DateTimeOffset t) => (t - startUtc).TotalDays;
        var inPeriod = daily.Where(d => d.Point.Time >= startUtc).Select(d => d.Point).ToList();
        var nowX = DayOf(now);
        List<(double, double)> Line(Func<HistoryPoint, long> field, long current) =>
            [(0, 0), .. inPeriod.Select(p => (DayOf(p.Time), (double)field(p))).Where(p => p.Item1 < nowX), (nowX, current)];

        var series = new List<ChartSeries>
        {
            new("counted", "s-counted", Line(p => p.CountedBytes, bandwidth.CountedBytes)),
            new("in", "s-in", Line(p => p.IngressBytes, bandwidth.IngressBytes)),
            new("out", "s-out", Line(p => p.EgressBytes, bandwidth.EgressBytes)),
        };
        if (bandwidth.ProjectedBytes is { } projected)
        {
            series.Add(new ChartSeries("pace", "s-pace", [(nowX, bandwidth.CountedBytes), (length, projected)], Dashed: true));
        }

        var labels = Enumerable.Range(0, 5).Select(i => length * i / 4)
            .Select(x => (x, start.AddDays(x).ToString("d MMM", CultureInfo.InvariantCulture))).ToList();
        return new ChartSpec("chart-bandwidth", "Bandwidth this period against the quota", 0, length, series, ConsoleText.Bytes, labels)
        {
            Limits = bandwidth.QuotaBytes is { } quota ? [(quota, "quota " + ConsoleText.Bytes(quota))] : [],
        };
    }

    /// <summary>Messages stored over the last 24 hours.</summary>
    public static ChartSpec Messages(IReadOnlyList<HistoryPoint> recent, DateTimeOffset now) =>
        new("chart-messages", "Messages stored, last 24 hours", -24, 0,
            [new ChartSeries("messages", "s-messages", [.. Last24Hours(recent, now).Select(p => (HoursAgo(p.Time, now), (double)p.Messages))])],
            y => ConsoleText.Number(y), HourLabels());

    /// <summary>Requests per second by class over the last 24 hours, with the bandwidth schedule's slower windows shaded.</summary>
    public static ChartSpec Requests(IReadOnlyList<HistoryPoint> recent, DateTimeOffset now, TimeSpan utcOffset, IReadOnlyList<(string From, string To, double Rate)> schedule)
    {
        var points = Last24Hours(recent, now).ToList();
        var series = RequestClasses.Select(c => new ChartSeries(c.Name, c.Css, [.. Rates(points, c.Total, now)])).ToList();
        return new ChartSpec("chart-requests", "Requests per second by class, last 24 hours", -24, 0, series, y => ConsoleText.Number(y), HourLabels())
        {
            Bands = [.. ScheduleBands(schedule, now, utcOffset)],
        };
    }

    /// <summary>The rate between consecutive samples; a total that went down means the node restarted, and counts from zero.</summary>
    private static IEnumerable<(double X, double Y)> Rates(List<HistoryPoint> points, Func<HistoryPoint, long> total, DateTimeOffset now)
    {
        for (var i = 1; i < points.Count; i++)
        {
            var seconds = points[i].UnixSeconds - points[i - 1].UnixSeconds;
            if (seconds <= 0)
            {
                continue;
            }

            var delta = total(points[i]) - total(points[i - 1]);
            yield return (HoursAgo(points[i].Time, now), (delta < 0 ? total(points[i]) : delta) / (double)seconds);
        }
    }

    private static IEnumerable<(double From, double To, string Label)> ScheduleBands(IReadOnlyList<(string From, string To, double Rate)> schedule, DateTimeOffset now, TimeSpan utcOffset)
    {
        var today = new DateTimeOffset(now.ToOffset(utcOffset).Date, utcOffset);
        foreach (var (from, to, rate) in schedule)
        {
            if (!TimeOnly.TryParse(from, CultureInfo.InvariantCulture, out var f) || !TimeOnly.TryParse(to, CultureInfo.InvariantCulture, out var t))
            {
                continue;
            }

            // From two days back: a window across midnight that began then can still reach into the last 24 hours.
            foreach (var day in new[] { today.AddDays(-2), today.AddDays(-1), today })
            {
                var begin = day + f.ToTimeSpan();
                var finish = day + t.ToTimeSpan() + (t <= f ? TimeSpan.FromDays(1) : TimeSpan.Zero);
                yield return (HoursAgo(begin, now), HoursAgo(finish, now), $"slower window {from}–{to} at {ConsoleText.Rate(rate)}");
            }
        }
    }

    private static IEnumerable<HistoryPoint> Last24Hours(IReadOnlyList<HistoryPoint> recent, DateTimeOffset now) =>
        recent.Where(p => now - p.Time <= TimeSpan.FromHours(24));

    private static double HoursAgo(DateTimeOffset time, DateTimeOffset now) => -(now - time).TotalHours;

    private static List<(double X, string Label)> HourLabels() =>
        [(-24, "24 h ago"), (-18, "18 h"), (-12, "12 h"), (-6, "6 h"), (0, "now")];
}
