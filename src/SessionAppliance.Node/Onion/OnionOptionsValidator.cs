using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Onion;

/// <summary>Checks <see cref="OnionOptions"/> at start; each message names the key and how to fix it.</summary>
public sealed class OnionOptionsValidator : IValidateOptions<OnionOptions>
{
    public ValidateOptionsResult Validate(string? name, OnionOptions options)
    {
        var failures = new List<string>();
        if (options.SourceRequestsPerSecond is < 0 or > 1_000_000)
        {
            failures.Add($"Onion:SourceRequestsPerSecond {options.SourceRequestsPerSecond} must be 0 (no limit) to 1000000 (default 30)");
        }

        if (options.SourceBurst < 1)
        {
            failures.Add($"Onion:SourceBurst {options.SourceBurst} must be at least 1 (default 300)");
        }

        if (options.ProxyTimeout <= TimeSpan.Zero || options.RelayTimeout <= TimeSpan.Zero)
        {
            failures.Add("Onion:ProxyTimeout and Onion:RelayTimeout must be positive (defaults 00:00:25 and 00:00:30)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
