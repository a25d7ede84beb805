using System.Globalization;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// The operator's update settings, from the environment the settings import writes (update.env, from
/// session-appliance.txt's auto_update, update_window, update_url and update_check_hours).
/// </summary>
internal sealed record UpdateSettings(Uri? ManifestUrl, bool AutoInstall, TimeOnly WindowStart, TimeOnly WindowEnd, TimeSpan CheckInterval)
{
    private const string Prefix = "SESSION_APPLIANCE_Update__";

    public static UpdateSettings Default { get; } = new(null, true, new TimeOnly(3, 0), new TimeOnly(5, 0), TimeSpan.FromDays(1));

    public static UpdateSettings FromEnvironment(Func<string, string?> variable)
    {
        var settings = Default;
        if (variable(Prefix + "ManifestUrl") is { Length: > 0 } url)
        {
            settings = settings with { ManifestUrl = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : throw new InvalidDataException($"update_url {url} is not an http(s) address") };
        }

        if (variable(Prefix + "AutoInstall") is { Length: > 0 } auto)
        {
            settings = settings with { AutoInstall = auto.Equals("true", StringComparison.OrdinalIgnoreCase) };
        }

        if (variable(Prefix + "Window") is { Length: > 0 } window)
        {
            var parts = window.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !TimeOnly.TryParseExact(parts[0], "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ||
                !TimeOnly.TryParseExact(parts[1], "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) || from == to)
            {
                throw new InvalidDataException($"update_window {window} is not a window such as 03:00-05:00");
            }

            settings = settings with { WindowStart = from, WindowEnd = to };
        }

        if (variable(Prefix + "CheckHours") is { Length: > 0 } hours)
        {
            settings = settings with
            {
                CheckInterval = int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h is >= 1 and <= 168
                    ? TimeSpan.FromHours(h)
                    : throw new InvalidDataException($"update_check_hours {hours} is not from 1 to 168"),
            };
        }

        return settings;
    }

    /// <summary>Whether a local time of day is inside the install window (which may wrap past midnight).</summary>
    public bool InWindow(TimeOnly local) => WindowStart < WindowEnd
        ? local >= WindowStart && local < WindowEnd
        : local >= WindowStart || local < WindowEnd;

    public string WindowText => $"{WindowStart:HH\\:mm}-{WindowEnd:HH\\:mm}";
}
