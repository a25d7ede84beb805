using System.Globalization;

namespace SessionAppliance.Status.Console;

/// <summary>Figures as an operator reads them: "1.4 GB", "3.2 MB/s", "2 d 4 h".</summary>
public static class ConsoleText
{
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        var unit = 0;
        while (Math.Abs(bytes) >= 1000 && unit < units.Length - 1)
        {
            bytes /= 1000;
            unit++;
        }

        return bytes.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Rate(double? bytesPerSecond) => bytesPerSecond is { } r ? Bytes(r) + "/s" : "no limit";

    public static string Number(double value) => value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours} h")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds} s");
}
