using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// <c>ifelse</c>: run "then" or "else" depending on this node's hard fork, version and height; the answer
/// reports what was compared, the outcome and the chosen request's result (spec §3.4).
/// </summary>
public sealed class IfElseMethod(INetworkViewSource network) : IClientMethod
{
    public string Name => "ifelse";

    public async Task<RpcResponse> InvokeAsync(RpcParams p, RpcContext context, CancellationToken cancellationToken)
    {
        var condition = p.Require("if");
        if (condition.ValueKind != JsonValueKind.Object)
        {
            throw RpcParams.WrongType("if", "object");
        }

        var height = network.Current.Height;
        var holds = Evaluate(condition, height);
        var body = new JsonObject
        {
            ["hf"] = ProtocolVersion.HardforkJson(),
            ["v"] = ProtocolVersion.VersionJson(),
            ["height"] = height,
            ["condition"] = holds,
        };

        var branch = p.Find(holds ? "then" : "else");
        if (branch is { } request)
        {
            var (method, parameters) = CompositeRequest.ReadOne(request);
            var response = await context.Dispatcher.DispatchAsync(method, parameters, context, cancellationToken).ConfigureAwait(false);
            body["result"] = CompositeRequest.Result(response);
        }

        return RpcResponse.Ok(body);
    }

    private static bool Evaluate(JsonElement condition, long height)
    {
        var holds = true;
        foreach (var clause in condition.EnumerateObject())
        {
            holds &= clause.Name switch
            {
                "hf_at_least" => Compare(ProtocolVersion.Hardfork, clause) >= 0,
                "hf_before" => Compare(ProtocolVersion.Hardfork, clause) < 0,
                "v_at_least" => Compare(ProtocolVersion.Version, clause) >= 0,
                "v_before" => Compare(ProtocolVersion.Version, clause) < 0,
                "height_at_least" => height >= Number(clause),
                "height_before" => height < Number(clause),
                _ => throw RpcException.InvalidRequest($"Invalid ifelse condition '{clause.Name}'"),
            };
        }

        return holds;
    }

    /// <summary>Compares our version tuple with the given list, element by element (missing parts count as 0).</summary>
    private static int Compare(int[] ours, JsonProperty clause)
    {
        if (clause.Value.ValueKind != JsonValueKind.Array)
        {
            throw RpcParams.WrongType(clause.Name, "list of integers");
        }

        var theirs = clause.Value.EnumerateArray().Select(e => e.TryGetInt32(out var v) ? v : throw RpcParams.WrongType(clause.Name, "list of integers")).ToArray();
        for (var i = 0; i < Math.Max(ours.Length, theirs.Length); i++)
        {
            var difference = (i < ours.Length ? ours[i] : 0).CompareTo(i < theirs.Length ? theirs[i] : 0);
            if (difference != 0)
            {
                return difference;
            }
        }

        return 0;
    }

    private static long Number(JsonProperty clause) =>
        clause.Value.TryGetInt64(out var n) ? n : throw RpcParams.WrongType(clause.Name, "integer");
}
