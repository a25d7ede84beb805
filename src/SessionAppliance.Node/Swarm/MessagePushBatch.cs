using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Storage;
using SessionAppliance.Protocol.Accounts;
using SessionAppliance.Protocol.Codecs;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// The body of <c>/swarm_push/v1</c>: messages handed to their new owners when swarms change (spec §5.5). Unlike
/// the reference's push, the namespace travels too, so a moved message stays where its owner looks for it.
/// </summary>
public static class MessagePushBatch
{
    /// <summary>Batches stay well under the reference's 9 MB so a push never holds much memory on either side.</summary>
    public const int MaxBytes = 1_000_000;

    public static byte[] Encode(IEnumerable<StoredMessage> messages)
    {
        var array = new JsonArray();
        foreach (var m in messages)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["pubkey"] = m.Owner.Hex,
                ["namespace"] = m.Namespace,
                ["hash"] = m.Hash,
                ["timestamp"] = m.TimestampMs,
                ["expiry"] = m.ExpiryMs,
                ["data"] = Convert.ToBase64String(m.Data),
            });
        }

        return System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["messages"] = array }.ToJsonString());
    }

    /// <summary>The messages of a batch; null if any entry is malformed or its hash does not match its content.</summary>
    public static List<StoredMessage>? Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            var messages = new List<StoredMessage>();
            foreach (var entry in JsonNode.Parse(body)!["messages"]!.AsArray())
            {
                var owner = AccountId.Parse(entry!["pubkey"]!.GetValue<string>());
                var ns = entry["namespace"]!.GetValue<short>();
                var data = Convert.FromBase64String(entry["data"]!.GetValue<string>());
                var hash = entry["hash"]!.GetValue<string>();
                if (hash != MessageHash.Compute(owner, ns, data))
                {
                    return null;
                }

                messages.Add(new StoredMessage(owner, ns, hash, entry["timestamp"]!.GetValue<long>(), entry["expiry"]!.GetValue<long>(), data));
            }

            return messages;
        }
        catch (Exception error) when (UntrustedJson.IsShapeError(error))
        {
            return null;
        }
    }

    public static long SizeOf(StoredMessage message) => message.Data.Length * 4 / 3 + 220;
}
