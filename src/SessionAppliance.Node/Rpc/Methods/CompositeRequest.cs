using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>Runs the sub-requests of batch/sequence and renders each result as {"code","body"} (spec §3.4).</summary>
internal static class CompositeRequest
{
    public const int MaxSubrequests = 20;
    private static readonly HashSet<string> Nestable = new(StringComparer.Ordinal) { "batch", "sequence", "ifelse" };

    public static IReadOnlyList<(string Method, JsonElement Params)> Read(RpcParams p)
    {
        var requests = p.Require("requests");
        if (requests.ValueKind != JsonValueKind.Array)
        {
            throw RpcParams.WrongType("requests", "list of requests");
        }

        var count = requests.GetArrayLength();
        if (count is 0 or > MaxSubrequests)
        {
            throw RpcException.InvalidRequest($"Invalid batch request: must contain between 1 and {MaxSubrequests} sub-requests");
        }

        return [.. requests.EnumerateArray().Select(ReadOne)];
    }

    public static (string Method, JsonElement Params) ReadOne(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object
            || !request.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String
            || !request.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
        {
            throw RpcException.InvalidRequest("Invalid batch request: sub-requests must be objects with method and params");
        }

        var name = method.GetString()!;
        return Nestable.Contains(name)
            ? throw RpcException.InvalidRequest($"Invalid batch request: sub-request cannot be a {name}")
            : (name, parameters);
    }

    public static JsonObject Result(RpcResponse response) => new()
    {
        ["code"] = response.Status,
        ["body"] = response.Json?.DeepClone() ?? JsonValue.Create(response.Text ?? ""),
    };
}
