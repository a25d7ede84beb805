using System.Globalization;
using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Bandwidth;

/// <summary>Checks <see cref="BandwidthOptions"/> at start: nothing is clamped, every problem names its key and the fix.</summary>
public sealed class BandwidthOptionsValidator(TimeProvider time) : IValidateOptions<BandwidthOptions>
{
    public ValidateOptionsResult Validate(string? name, BandwidthOptions options)
    {
        var failures = new List<string>();
        var ingress = CheckRate("Bandwidth:IngressRate", options.IngressRate, failures);
        var egress = CheckRate("Bandwidth:EgressRate", options.EgressRate, failures);
        if (!string.IsNullOrWhiteSpace(options.Burst))
        {
            if (!DataUnits.TryParseAmount(options.Burst, out var burst))
            {
                failures.Add($"Bandwidth:Burst '{options.Burst}' is not an amount; write e.g. \"4 MB\"");
            }
            else if (burst < Math.Max(ingress ?? 0, egress ?? 0))
            {
                failures.Add($"Bandwidth:Burst '{options.Burst}' is below one second of the rate; make it at least the larger of IngressRate and EgressRate");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.MonthlyQuota) && !DataUnits.TryParseAmount(options.MonthlyQuota, out _))
        {
            failures.Add($"Bandwidth:MonthlyQuota '{options.MonthlyQuota}' is not an amount; write e.g. \"500 GB\"");
        }

        if (options.PeriodStartDay is < 1 or > 28)
        {
            failures.Add($"Bandwidth:PeriodStartDay {options.PeriodStartDay} must be from 1 to 28 (every month has those days)");
        }

        CheckPeriodStart(options.PeriodStart, failures);
        if (!Enum.IsDefined(options.QuotaRule) || !Enum.IsDefined(options.Policy))
        {
            failures.Add("Bandwidth:QuotaRule must be InPlusOut, MaxOfBoth or OutOnly and Bandwidth:Policy Pace or Hibernate");
        }

        for (var i = 0; i < options.Schedule.Count; i++)
        {
            var window = options.Schedule[i];
            if (!TimeOnly.TryParse(window.From, CultureInfo.InvariantCulture, out _) || !TimeOnly.TryParse(window.To, CultureInfo.InvariantCulture, out _))
            {
                failures.Add($"Bandwidth:Schedule:{i}:From/To '{window.From}'–'{window.To}' must be times of day such as 18:00 and 23:00");
            }

            if (!DataUnits.TryParseRate(window.Rate, out _))
            {
                failures.Add($"Bandwidth:Schedule:{i}:Rate '{window.Rate}' is not a rate; write e.g. \"1 MB/s\"");
            }
        }

        if (options.SaveInterval < TimeSpan.FromMinutes(1) || options.SaveInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Bandwidth:SaveInterval {options.SaveInterval} must be from 00:01:00 to 01:00:00: the counters must not wear the card");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static long? CheckRate(string key, string? text, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DataUnits.TryParseRate(text, out var rate))
        {
            return rate;
        }

        failures.Add($"{key} '{text}' is not a positive rate; write e.g. \"2 MB/s\" or \"20 Mbit/s\", or leave it empty for no limit");
        return null;
    }

    private void CheckPeriodStart(string? text, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var now = time.GetLocalNow().DateTime;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            failures.Add($"Bandwidth:PeriodStart '{text}' is not a date; write e.g. 2026-11-15 or leave it empty");
        }
        else if (start > now)
        {
            failures.Add($"Bandwidth:PeriodStart '{text}' is in the future; use today's date or leave it empty");
        }
        else if (start < now.AddMonths(-1))
        {
            failures.Add($"Bandwidth:PeriodStart '{text}' is more than a month in the past, so that period is over; leave it empty to use Bandwidth:PeriodStartDay");
        }
    }
}
