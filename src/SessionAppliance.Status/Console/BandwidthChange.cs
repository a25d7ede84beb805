using System.Globalization;
using SessionAppliance.Node.Bandwidth;

namespace SessionAppliance.Status.Console;

/// <summary>
/// A bandwidth change from the page, in the settings file's own keys. It is checked by the node's own
/// validator (the same source file), and goes to the boot partition's settings file through a root-run path
/// unit, which imports it exactly as a boot does and restarts the node.
/// </summary>
public sealed partial record BandwidthChange(string Rate, string Burst, string MonthlyQuota, string QuotaStartDay, string Policy, string QuotaRule, string Schedule)
{
    public const string RequestFileName = "settings";

    public IEnumerable<(string Key, string Value)> Lines() =>
    [
        ("bandwidth_rate", Rate), ("bandwidth_burst", Burst), ("monthly_quota", MonthlyQuota), ("quota_start_day", QuotaStartDay),
        ("bandwidth_policy", Policy), ("quota_rule", QuotaRule), ("bandwidth_schedule", Schedule),
    ];

    /// <summary>Every problem, worded as the node words it at start; empty when the change is valid.</summary>
    public IReadOnlyList<string> Validate(TimeProvider time)
    {
        var problems = new List<string>();
        foreach (var (key, value) in Lines())
        {
            if (value.Length > 300 || value.Any(c => char.IsControl(c) || c is '"' or '\\' or '$' or '`'))
            {
                problems.Add($"{key}: contains characters that are not allowed (quotes, backslash, $, `) or is too long");
            }
        }

        var options = new BandwidthOptions
        {
            IngressRate = Empty(Rate), EgressRate = Empty(Rate), Burst = Empty(Burst), MonthlyQuota = Empty(MonthlyQuota),
        };
        if (Empty(QuotaStartDay) is { } day)
        {
            if (int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                options.PeriodStartDay = d;
            }
            else
            {
                problems.Add($"quota_start_day '{day}' must be a day of the month from 1 to 28");
            }
        }

        if (Empty(Policy) is { } policy)
        {
            if (Enum.TryParse<QuotaPolicy>(policy, ignoreCase: true, out var p) && Enum.IsDefined(p) && !char.IsDigit(policy[0]))
            {
                options.Policy = p;
            }
            else
            {
                problems.Add($"bandwidth_policy '{policy}' must be Pace or Hibernate");
            }
        }

        if (Empty(QuotaRule) is { } rule)
        {
            if (Enum.TryParse<QuotaRule>(rule, ignoreCase: true, out var r) && Enum.IsDefined(r) && !char.IsDigit(rule[0]))
            {
                options.QuotaRule = r;
            }
            else
            {
                problems.Add($"quota_rule '{rule}' must be InPlusOut, MaxOfBoth or OutOnly");
            }
        }

        if (ParseSchedule(Schedule) is { } windows)
        {
            options.Schedule = windows;
        }
        else
        {
            problems.Add($"bandwidth_schedule '{Schedule}' must be windows such as \"18:00-23:00 1 MB/s, 01:00-06:00 10 MB/s\"");
        }

        var result = new BandwidthOptionsValidator(time).Validate(null, options);
        if (result.Failed)
        {
            problems.AddRange(result.Failures);
        }

        return problems;
    }

    /// <summary>
    /// "18:00-23:00 1 MB/s, 01:00-06:00 10 MB/s" as the image's import reads it (the same pattern per window,
    /// no empty windows); null when it cannot be read. Empty text is no windows.
    /// </summary>
    public static List<ScheduleWindow>? ParseSchedule(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var windows = new List<ScheduleWindow>();
        foreach (var part in text.Split(',').Select(p => p.Trim()))
        {
            var match = WindowPattern().Match(part);
            if (!match.Success)
            {
                return null;
            }

            windows.Add(new ScheduleWindow { From = match.Groups[1].Value, To = match.Groups[2].Value, Rate = match.Groups[3].Value });
        }

        return windows;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^([0-9]{1,2}:[0-9]{2})-([0-9]{1,2}:[0-9]{2}) (.+)$")]
    private static partial System.Text.RegularExpressions.Regex WindowPattern();

    /// <summary>The request file the path unit reads: "key = value" lines; an empty value puts the key back to its default.</summary>
    public string RequestText() => string.Concat(Lines().Select(l => $"{l.Key} = {l.Value.Trim()}\n"));

    private static string? Empty(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
