namespace SessionAppliance.Status.Console;

/// <summary>Reads the operator's settings file ("key = value" lines, # comments) as the image's import does: the last line for a key wins.</summary>
public static class SettingsFile
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return values;
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim().TrimStart('\uFEFF');
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] is '#' or ';' || equals < 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            values[line[..equals].Trim().ToLowerInvariant()] = value is ['"', .. var inner, '"'] ? inner : value;
        }

        return values;
    }
}
