using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>Prepares the sub-requests of batch/sequence and renders each result as {"body","code"} (spec §3.4).</summary>
internal static class CompositeRequest
{
    public const int MaxSubrequests = 20;

    /// <summary>Reads and parses every sub-request; the first malformed one refuses the whole request.</summary>
    public static IReadOnlyList<(string Method, RpcCall Call, Task LocalDone)> Prepare(RpcParams p, RpcContext context)
    {
        var dispatcher = context.Dispatcher;
        if (p.Find("requests") is not { ValueKind: JsonValueKind.Array } requests || requests.GetArrayLength() == 0)
        {
            throw RpcException.InvalidRequest("Invalid batch request: no valid \"requests\" field");
        }

        if (requests.GetArrayLength() > MaxSubrequests)
        {
            throw RpcException.InvalidRequest("Invalid batch request: subrequest limit exceeded");
        }

        var read = new List<(string, RpcCall, Task)>();
        foreach (var request in requests.EnumerateArray())
        {
            if (request.ValueKind != JsonValueKind.Object)
            {
                throw RpcException.InvalidRequest("Invalid batch request: requests must be objects");
            }

            if (!request.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String
                || !request.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                throw RpcException.InvalidRequest("Invalid batch request: subrequests must have method/params keys");
            }

            var name = method.GetString()!;
            if (!dispatcher.Knows(name))
            {
                throw RpcException.InvalidRequest($"Invalid batch subrequest: invalid method \"{name}\"");
            }

            // A nested request is parsed first, so its own parse error wins over the meta-request refusal.
            var localDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var call = dispatcher.Prepare(name, parameters, context with { LocalDone = localDone });
            if (dispatcher.IsMeta(name))
            {
                throw RpcException.InvalidRequest("Invalid batch subrequest: subrequests may not contain meta-requests");
            }

            read.Add((name, call, localDone.Task));
        }

        return read;
    }

    public static JsonObject Result(RpcResponse response) => new()
    {
        ["code"] = response.Status,
        ["body"] = response.Json?.DeepClone() ?? JsonValue.Create(response.Text ?? ""),
    };
}
