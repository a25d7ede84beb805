using System.Net;
using Microsoft.Extensions.Options;

namespace SessionAppliance.Node.Hosting;

/// <summary>Checks <see cref="NodeOptions"/> at start; each message names the key and how to fix it.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"Node:ListenAddress '{options.ListenAddress}' is not an IP address; use e.g. 0.0.0.0 or 127.0.0.1");
        }

        if (options.HttpsPort is < 1 or > 65535)
        {
            failures.Add($"Node:HttpsPort {options.HttpsPort} is not a TCP port; use 1 to 65535 (default 22021)");
        }

        if (options.OmqPort is < 0 or > 65535)
        {
            failures.Add($"Node:OmqPort {options.OmqPort} is not a port; use 0 to 65535 (default 22020)");
        }

        if (options.HealthPort is < 0 or > 65535 || (options.HealthPort != 0 && options.HealthPort == options.HttpsPort))
        {
            failures.Add($"Node:HealthPort {options.HealthPort} must be 0 (off) or a port from 1 to 65535 other than Node:HttpsPort (default 22080)");
        }

        if (options.PublicIp.Length > 0 && !IPAddress.TryParse(options.PublicIp, out _))
        {
            failures.Add($"Node:PublicIp '{options.PublicIp}' is not an IP address; leave it empty to advertise the listen address");
        }

        if (options.BodyBytesInFlight < NodeOptions.MinBodyBytesInFlight)
        {
            failures.Add($"Node:BodyBytesInFlight {options.BodyBytesInFlight} cannot hold one 10 MiB request; use at least {NodeOptions.MinBodyBytesInFlight} (16 MiB) or leave it unset");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
