using System.Globalization;

namespace SessionAppliance.Node.Bandwidth;

/// <summary>
/// Amounts and rates as operators write them: "500 GB", "4 MiB", "2 MB/s", "20 Mbit/s". Decimal prefixes are
/// powers of 1000 (as ISPs count), binary ones (KiB, MiB, …) powers of 1024; "bit" units are divided by 8.
/// </summary>
public static class DataUnits
{
    private static readonly Dictionary<string, double> BytesPerUnit = new(StringComparer.Ordinal)
    {
        ["B"] = 1, ["kB"] = 1e3, ["KB"] = 1e3, ["MB"] = 1e6, ["GB"] = 1e9, ["TB"] = 1e12,
        ["KiB"] = 1024, ["MiB"] = 1024 * 1024, ["GiB"] = 1024.0 * 1024 * 1024, ["TiB"] = 1024.0 * 1024 * 1024 * 1024,
        ["bit"] = 1 / 8.0, ["kbit"] = 1e3 / 8, ["Kbit"] = 1e3 / 8, ["Mbit"] = 1e6 / 8, ["Gbit"] = 1e9 / 8,
    };

    /// <summary>Bytes in an amount such as "500 GB"; false for anything else, including negatives.</summary>
    public static bool TryParseAmount(string? text, out long bytes)
    {
        bytes = 0;
        var parts = text?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 2 } || !BytesPerUnit.TryGetValue(parts[1], out var unit)
            || !double.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var total = value * unit;
        if (total is < 1 or > long.MaxValue / 2)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>Bytes per second in a rate such as "2 MB/s" or "20 Mbit/s".</summary>
    public static bool TryParseRate(string? text, out long bytesPerSecond)
    {
        bytesPerSecond = 0;
        var trimmed = text?.Trim();
        return trimmed is not null && trimmed.EndsWith("/s", StringComparison.Ordinal) && TryParseAmount(trimmed[..^2], out bytesPerSecond);
    }
}
