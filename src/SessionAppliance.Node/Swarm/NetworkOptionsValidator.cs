using System.Net;
using Microsoft.Extensions.Options;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Node.Swarm;

/// <summary>Checks the configured node list; each message names the entry and the key.</summary>
public sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Nodes.Count; i++)
        {
            var node = options.Nodes[i];
            if (node.Ed25519.Length != 64 || !HexText.TryDecode(node.Ed25519, out var key) || !Protocol.Crypto.Ed25519.TryToX25519PublicKey(key, out _))
            {
                failures.Add($"Network:Nodes:{i}:Ed25519 must be a node's Ed25519 public key as 64 hex digits");
            }

            if (!IPAddress.TryParse(node.Ip, out _))
            {
                failures.Add($"Network:Nodes:{i}:Ip '{node.Ip}' is not an IP address");
            }

            if (node.HttpsPort is < 1 or > 65535)
            {
                failures.Add($"Network:Nodes:{i}:HttpsPort {node.HttpsPort} is not a TCP port (1 to 65535)");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
