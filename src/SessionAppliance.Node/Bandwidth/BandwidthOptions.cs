namespace SessionAppliance.Node.Bandwidth;

/// <summary>Configuration section "Bandwidth". Empty rates and quota mean "no limit".</summary>
public sealed class BandwidthOptions
{
    public const string Section = "Bandwidth";

    /// <summary>Incoming bytes per second, e.g. "2 MB/s" or "20 Mbit/s".</summary>
    public string? IngressRate { get; set; }

    /// <summary>Outgoing bytes per second.</summary>
    public string? EgressRate { get; set; }

    /// <summary>How much may pass at once above the rate, e.g. "4 MB"; at least one second of the rate.</summary>
    public string? Burst { get; set; }

    /// <summary>Bytes per period, e.g. "500 GB".</summary>
    public string? MonthlyQuota { get; set; }

    /// <summary>Day of the month (1–28) the quota period starts, at midnight local time.</summary>
    public int PeriodStartDay { get; set; } = 1;

    /// <summary>An explicit start of the current period (ISO date) for a cap that began mid-month; never in the future.</summary>
    public string? PeriodStart { get; set; }

    public QuotaRule QuotaRule { get; set; } = QuotaRule.InPlusOut;

    public QuotaPolicy Policy { get; set; } = QuotaPolicy.Pace;

    /// <summary>Slower windows of the day, e.g. From "18:00", To "23:00", Rate "1 MB/s" (local time).</summary>
    public List<ScheduleWindow> Schedule { get; set; } = [];

    /// <summary>How often the counters are saved to the card (never more than once a minute).</summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class ScheduleWindow
{
    public string? From { get; set; }

    public string? To { get; set; }

    public string? Rate { get; set; }
}

/// <summary>What counts against the quota.</summary>
public enum QuotaRule
{
    InPlusOut,
    MaxOfBoth,
    OutOnly,
}

/// <summary>What the node does as the quota runs down.</summary>
public enum QuotaPolicy
{
    /// <summary>Spread what is left over what is left of the period: always serving, slower.</summary>
    Pace,

    /// <summary>Full speed until 99% is used, then only swarm and client storage traffic on the last 1%.</summary>
    Hibernate,
}
