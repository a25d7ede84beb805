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

        for (var i = 0; i < options.Seeds.Count; i++)
        {
            if (!Uri.TryCreate(options.Seeds[i], UriKind.Absolute, out var seed) || seed.Scheme is not ("https" or "http") || !seed.AbsolutePath.EndsWith('/'))
            {
                failures.Add($"Network:Seeds:{i} '{options.Seeds[i]}' must be an http(s) base URL ending in '/', e.g. https://203.0.113.5:22021/");
            }
        }

        if (options.UsesOxendRpc && !(options.OxendRpc.StartsWith("ipc://", StringComparison.Ordinal) || options.OxendRpc.StartsWith("tcp://", StringComparison.Ordinal)))
        {
            failures.Add($"Network:OxendRpc '{options.OxendRpc}' must be an ipc:// or tcp:// address, e.g. ipc:///var/lib/oxen/oxend.sock");
        }

        if (options.OxendCurveKey.Length > 0 && (options.OxendCurveKey.Length != 64 || !Protocol.Codecs.HexText.TryDecode(options.OxendCurveKey, out _)))
        {
            failures.Add("Network:OxendCurveKey must be oxend's X25519 key as 64 hex digits");
        }

        if (options.PeerTransport is not ("" or "https" or "omq"))
        {
            failures.Add($"Network:PeerTransport '{options.PeerTransport}' must be https or omq");
        }

        if (options.UsesOxendRpc && (options.Seeds.Count > 0 || options.Nodes.Count > 0 || options.IsSeed || options.OxendUrl.Length > 0))
        {
            failures.Add("Network:OxendRpc takes the node list from oxend: remove Network:Seeds, Network:Nodes, Network:IsSeed and Network:OxendUrl");
        }

        if (options.OxendUrl.Length > 0 && (!Uri.TryCreate(options.OxendUrl, UriKind.Absolute, out var oxend) || oxend.Scheme is not ("https" or "http")))
        {
            failures.Add($"Network:OxendUrl '{options.OxendUrl}' must be an http(s) URL, e.g. http://127.0.0.1:22023/");
        }

        if (options.Nodes.Count > 0 && options.IsDynamic)
        {
            failures.Add("Network:Nodes (a fixed list) cannot be combined with Network:Seeds, Network:IsSeed or Network:OxendUrl: choose one source");
        }

        if (options.Seeds.Count > 0 && options.OxendUrl.Length > 0)
        {
            failures.Add("Network:Seeds and Network:OxendUrl are two different networks: choose one");
        }

        if (options.RefreshInterval < TimeSpan.FromSeconds(1) || options.RefreshInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Network:RefreshInterval {options.RefreshInterval} must be between 00:00:01 and 01:00:00");
        }

        if (string.IsNullOrWhiteSpace(options.SwarmSeed))
        {
            failures.Add("Network:SwarmSeed must not be empty: it names the network and seeds its swarm map");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
