using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// <c>ifelse</c>: run "then" or "else" depending on this node's hard fork, version and height; the answer
/// reports what was compared, the outcome and the chosen request's result (spec §3.4). Branches may nest.
/// </summary>
public sealed class IfElseMethod(INetworkViewSource network) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["ifelse"], Forwarded: false, Meta: true);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        if (p.Find("if") is not { ValueKind: JsonValueKind.Object } condition)
        {
            throw RpcException.InvalidRequest("Invalid ifelse request: no valid \"if\" field");
        }

        var height = network.Current.Height;
        var holds = Evaluate(new RpcParams(condition), height);
        var then = ReadBranch(p, "then", context);
        var otherwise = ReadBranch(p, "else", context);
        if (then is null && otherwise is null)
        {
            throw RpcException.InvalidRequest("Invalid ifelse request: at least one of \"then\"/\"else\" required");
        }

        var chosen = holds ? then : otherwise;
        return async cancellationToken =>
        {
            var body = new JsonObject
            {
                ["hf"] = ProtocolVersion.HardforkJson(),
                ["v"] = ProtocolVersion.VersionJson(),
                ["height"] = height,
                ["condition"] = holds,
            };
            if (chosen is { } branch)
            {
                var response = await context.Dispatcher.RunAsync(branch.Method, branch.Call, cancellationToken).ConfigureAwait(false);
                body["result"] = CompositeRequest.Result(response);
            }

            return RpcResponse.Ok(body);
        };
    }

    /// <summary>
    /// A present branch must be an object with a known method, and is parsed now: a malformed branch refuses the
    /// whole request even when it would not run. Params that are not an object count as {}.
    /// </summary>
    private static (string Method, RpcCall Call)? ReadBranch(RpcParams p, string key, RpcContext context)
    {
        if (!p.Element.TryGetProperty(key, out var branch))
        {
            return null;
        }

        if (branch.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidRequest($"Invalid ifelse request: {key} must be an object");
        }

        if (!branch.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || !branch.TryGetProperty("params", out var parameters))
        {
            throw RpcException.InvalidRequest($"Invalid ifelse request: {key} must have method/params keys");
        }

        var dispatcher = context.Dispatcher;
        if (!dispatcher.Knows(method.GetString()!))
        {
            // The reference names the branch, not the method, here.
            throw RpcException.InvalidRequest($"Invalid ifelse request method \"{key}\"");
        }

        var name = method.GetString()!;
        return (name, dispatcher.Prepare(name, parameters.ValueKind == JsonValueKind.Object ? parameters : EmptyObject, context));
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static bool Evaluate(RpcParams condition, long height)
    {
        condition.CheckTypes(("height_at_least", FieldType.Integer), ("height_before", FieldType.Integer), ("hf_at_least", FieldType.IntegerArray),
            ("hf_before", FieldType.IntegerArray), ("v_at_least", FieldType.IntegerArray), ("v_before", FieldType.IntegerArray));
        var checks = new List<bool>();
        AddVersion(checks, condition, "hf_at_least", ProtocolVersion.Hardfork, atLeast: true);
        AddVersion(checks, condition, "hf_before", ProtocolVersion.Hardfork, atLeast: false);
        AddVersion(checks, condition, "v_at_least", ProtocolVersion.Version, atLeast: true);
        AddVersion(checks, condition, "v_before", ProtocolVersion.Version, atLeast: false);
        if (condition.OptionalInt("height_at_least") is { } atLeast)
        {
            checks.Add(height >= atLeast);
        }

        if (condition.OptionalInt("height_before") is { } before)
        {
            checks.Add(height < before);
        }

        return checks.Count > 0
            ? checks.All(c => c)
            : throw RpcException.InvalidRequest("Invalid ifelse request: must specify at least one \"if\" condition");
    }

    /// <summary>Compares our version with the list padded or cut to our length; an empty list counts as absent.</summary>
    private static void AddVersion(List<bool> checks, RpcParams condition, string name, int[] ours, bool atLeast)
    {
        if (condition.OptionalIntList(name) is not { Count: > 0 } theirs)
        {
            return;
        }

        var comparison = 0;
        for (var i = 0; i < ours.Length && comparison == 0; i++)
        {
            comparison = ours[i].CompareTo(i < theirs.Count ? theirs[i] : 0);
        }

        checks.Add(atLeast ? comparison >= 0 : comparison < 0);
    }
}
