using System.Text.Json;
using System.Text.Json.Nodes;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc.Methods;

/// <summary>
/// <c>oxend_request</c>: <c>get_service_nodes</c> answered from this node's own view of the network, in
/// oxend's JSON shape, honouring the "fields" filter clients send. Our network has no name system, so
/// <c>ons_resolve</c> answers the oxend-style error.
/// </summary>
public sealed class OxendRequestMethod(INetworkViewSource network, ResponseStamp stamp) : IClientMethod
{
    public MethodDeclaration Declaration { get; } = new(["oxend_request"], Forwarded: false);

    public RpcCall Prepare(RpcParams p, RpcContext context)
    {
        p.CheckTypes(("endpoint", FieldType.String));
        var endpoint = p.OptionalString("endpoint") ?? throw RpcParams.Missing("endpoint");
        if (endpoint is not ("get_service_nodes" or "ons_resolve"))
        {
            throw RpcException.InvalidRequest($"Invalid oxend endpoint '{endpoint}'");
        }

        var fields = FieldsOf(p.Find("params"));
        return _ => Task.FromResult(endpoint == "ons_resolve"
            ? RpcResponse.Error(400, "ons_resolve: this network has no Oxen Name System")
            : stamp.Ok(new JsonObject { ["result"] = ServiceNodeStates.Build(network.Current, fields) }));
    }

    /// <summary>The requested field names; null means all.</summary>
    private static HashSet<string>? FieldsOf(JsonElement? parameters)
    {
        if (parameters is not { ValueKind: JsonValueKind.Object } p || !p.TryGetProperty("fields", out var fields))
        {
            return null;
        }

        return fields.ValueKind switch
        {
            JsonValueKind.Object => [.. fields.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.True).Select(f => f.Name)],
            JsonValueKind.Array => [.. fields.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!)],
            _ => null,
        };
    }
}
