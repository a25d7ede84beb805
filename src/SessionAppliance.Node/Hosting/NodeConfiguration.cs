namespace SessionAppliance.Node.Hosting;

/// <summary>
/// Configuration sources, lowest to highest: built-in defaults (the options classes), the appliance file
/// (/etc/session-appliance/appliance.json, or --config / SESSION_APPLIANCE_CONFIG), environment variables
/// prefixed SESSION_APPLIANCE_ (e.g. SESSION_APPLIANCE_Node__HttpsPort), then the command line.
/// </summary>
public static class NodeConfiguration
{
    public const string DefaultFile = "/etc/session-appliance/appliance.json";
    public const string EnvironmentPrefix = "SESSION_APPLIANCE_";

    public static void Apply(ConfigurationManager configuration, string[] args)
    {
        var file = ConfigFileFrom(args) ?? Environment.GetEnvironmentVariable(EnvironmentPrefix + "CONFIG") ?? DefaultFile;
        var explicitFile = file != DefaultFile;
        if (explicitFile && !File.Exists(file))
        {
            throw new FileNotFoundException($"configuration file {file} does not exist", file);
        }

        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        });
        configuration.AddJsonFile(Path.GetFullPath(file), optional: !explicitFile, reloadOnChange: false);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddCommandLine(args.Where((_, i) => !IsConfigSwitch(args, i)).ToArray());
    }

    private static string? ConfigFileFrom(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--config")
            {
                return args[i + 1];
            }
        }

        return null;
    }

    private static bool IsConfigSwitch(string[] args, int index) =>
        args[index] == "--config" || (index > 0 && args[index - 1] == "--config");
}
