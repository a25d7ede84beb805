using System.Globalization;

namespace SessionAppliance.Node.Bandwidth;

/// <summary><see cref="BandwidthOptions"/> parsed into bytes and times; built only from validated options.</summary>
public sealed record BandwidthPlan(
    long? IngressRate, long? EgressRate, long? Burst, long? Quota, int PeriodStartDay, DateTime? PeriodStart,
    QuotaRule Rule, QuotaPolicy Policy, IReadOnlyList<(TimeOnly From, TimeOnly To, long Rate)> Schedule, TimeSpan SaveInterval)
{
    public static BandwidthPlan From(BandwidthOptions options) => new(
        Rate(options.IngressRate),
        Rate(options.EgressRate),
        Amount(options.Burst),
        Amount(options.MonthlyQuota),
        options.PeriodStartDay,
        string.IsNullOrWhiteSpace(options.PeriodStart) ? null : DateTime.Parse(options.PeriodStart, CultureInfo.InvariantCulture),
        options.QuotaRule,
        options.Policy,
        [.. options.Schedule.Select(w => (TimeOnly.Parse(w.From!, CultureInfo.InvariantCulture), TimeOnly.Parse(w.To!, CultureInfo.InvariantCulture), Rate(w.Rate)!.Value))],
        options.SaveInterval);

    /// <summary>The quota period containing <paramref name="localNow"/>: from the start day at midnight to the same day next month.</summary>
    public (DateTime Start, DateTime End) PeriodOf(DateTime localNow)
    {
        var start = new DateTime(localNow.Year, localNow.Month, PeriodStartDay, 0, 0, 0, DateTimeKind.Unspecified);
        if (start > localNow)
        {
            start = start.AddMonths(-1);
        }

        var end = start.AddMonths(1);
        return PeriodStart is { } explicitStart && explicitStart > start && explicitStart <= localNow ? (explicitStart, end) : (start, end);
    }

    private static long? Rate(string? text) => string.IsNullOrWhiteSpace(text) ? null : DataUnits.TryParseRate(text, out var value) ? value : null;

    private static long? Amount(string? text) => string.IsNullOrWhiteSpace(text) ? null : DataUnits.TryParseAmount(text, out var value) ? value : null;
}
