using System.Globalization;
using System.Text.RegularExpressions;

namespace SessionAppliance.Status.Console;

/// <summary>
/// The automatic-update switch and install window from the page, in the settings file's own keys. It goes to the
/// boot partition's file through the same root-run path unit as a bandwidth change (its own request file, so the
/// two never overwrite each other), which imports it as a boot does; the update agent reads it at its next run.
/// </summary>
public sealed partial record UpdateChange(string AutoUpdate, string Window)
{
    public const string RequestFileName = "update-settings";

    /// <summary>The update agent's default window, used when the field is left empty.</summary>
    public const string DefaultWindow = "03:00-05:00";

    /// <summary>Every problem, in the words of the settings import; empty when the change is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (AutoUpdate is not ("yes" or "no"))
        {
            problems.Add($"auto_update '{AutoUpdate}' must be yes or no");
        }

        var window = Window.Trim();
        if (window.Length > 0)
        {
            var match = WindowPattern().Match(window);
            if (!match.Success)
            {
                problems.Add($"update_window '{window}' must be a local-time window such as {DefaultWindow}");
            }
            else if (Minutes(match.Groups["from"].Value) == Minutes(match.Groups["to"].Value))
            {
                problems.Add($"update_window '{window}' starts and ends at the same time");
            }
        }

        return problems;
    }

    /// <summary>The request file the path unit reads; an empty window puts the key back to its default.</summary>
    public string RequestText() => $"auto_update = {AutoUpdate}\nupdate_window = {Window.Trim()}\n";

    /// <summary>Whether the settings file turns automatic installs on, read as the import reads a yes/no key (on when absent).</summary>
    public static bool IsOn(IReadOnlyDictionary<string, string> settings) =>
        !settings.TryGetValue("auto_update", out var value) || !Regex.IsMatch(value, "^(false|no|off|0)$", RegexOptions.IgnoreCase);

    private static int Minutes(string time)
    {
        var parts = time.Split(':');
        return int.Parse(parts[0], CultureInfo.InvariantCulture) * 60 + int.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    // The import's own pattern for update_window.
    [GeneratedRegex("^(?<from>(?:[01]?[0-9]|2[0-3]):[0-5][0-9]) ?- ?(?<to>(?:[01]?[0-9]|2[0-3]):[0-5][0-9])$")]
    private static partial Regex WindowPattern();
}
