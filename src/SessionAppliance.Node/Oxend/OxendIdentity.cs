using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAppliance.Node.Identity;
using SessionAppliance.Node.Swarm;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Crypto;

namespace SessionAppliance.Node.Oxend;

/// <summary>
/// With oxend, the service node's identity is oxend's (<c>admin.get_service_node_privkey</c>, spec §5.3). It is
/// asked for at start, every 5 s until oxend answers, as the reference does, and kept in the data directory; a
/// different key already there stops the start rather than serving under two identities.
/// </summary>
public static class OxendIdentity
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    public static NodeKeys Fetch(NetworkOptions options, string dataDirectory, Action<string> progress, CancellationToken cancellationToken = default)
    {
        using var omq = new OxenMq.OxenMq(new OxenMqOptions(), NullLogger.Instance);
        omq.Start();
        var oxend = OxendClient.PeerOf(options);
        while (true)
        {
            var reply = omq.RequestAsync(oxend, "admin.get_service_node_privkey", [], RetryInterval, cancellationToken).GetAwaiter().GetResult();
            if (SeedOf(reply) is { } seed)
            {
                return NodeIdentityStore.Adopt(dataDirectory, NodeKeys.FromSeed(seed));
            }

            progress($"waiting for oxend's service node key at {options.OxendRpc} ({(reply.Success ? "unusable answer" : reply.Reason)})");
            cancellationToken.WaitHandle.WaitOne(reply.Success ? RetryInterval : TimeSpan.Zero);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The Ed25519 seed from <c>["200", {"service_node_ed25519_privkey": hex of seed ‖ public key, …}]</c>.</summary>
    public static byte[]? SeedOf(OmqReply reply)
    {
        if (!reply.Success || reply.Parts.Count < 2 || Encoding.ASCII.GetString(reply.Parts[0]) != "200")
        {
            return null;
        }

        var hex = UntrustedJson.Read(reply.Parts[1], a => a["service_node_ed25519_privkey"]?.GetValue<string>(), null);
        return hex is not null && HexText.TryDecode(hex, out var secret) && secret.Length == 64 ? secret[..32] : null;
    }
}
