using SessionAppliance.Node.Onion;
using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Codecs;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Hosting;

/// <summary>The node's HTTPS surface (spec §2); every other path answers 404.</summary>
public static class NodeEndpoints
{
    public const string ServerHeader = "Oxen Storage Server/" + ProtocolVersion.VersionText;

    /// <summary>The reference answers unknown routes with "&lt;method in lower case&gt; &lt;path&gt; Not Found".</summary>
    public static Task NotFoundAsync(HttpContext context) =>
        HttpBody.WriteTextAsync(context, 404, $"{context.Request.Method.ToLowerInvariant()} {context.Request.Path} Not Found");

    public static void MapNodeEndpoints(this WebApplication app, int healthPort)
    {
        var counters = app.Services.GetRequiredService<RequestCounters>();
        app.Use((context, next) =>
        {
            context.Response.Headers.Server = ServerHeader;
            if (context.Request.Path == SwarmPushEndpoint.Path || context.Request.Path == SwarmPullEndpoint.Path)
            {
                counters.Count(RequestClass.Swarm);
            }

            return next(context);
        });

        var storageRpc = app.Services.GetRequiredService<StorageRpcEndpoint>();
        app.MapPost("/storage_rpc/v1", storageRpc.HandleAsync);
        app.MapPost("/onion_req/v2", app.Services.GetRequiredService<OnionEndpoint>().HandleAsync);
        app.MapPost(SwarmReplicator.Path, app.Services.GetRequiredService<SwarmRpcEndpoint>().HandleAsync);
        app.MapPost(SwarmPushEndpoint.Path, app.Services.GetRequiredService<SwarmPushEndpoint>().HandleAsync);
        app.MapPost(SwarmPullEndpoint.Path, app.Services.GetRequiredService<SwarmPullEndpoint>().HandleAsync);
        var peerTests = app.Services.GetRequiredService<PeerTestEndpoints>();
        app.MapPost("/ping_test/v1", peerTests.PingAsync);
        app.MapPost(ReachabilityMonitor.StorageTestPath, peerTests.StorageTestAsync);
        if (app.Services.GetRequiredService<NetworkOptions>().IsSeed)
        {
            app.MapPost("/json_rpc", app.Services.GetRequiredService<SeedEndpoint>().HandleAsync);
        }

        app.MapGet("/get_stats/v1", context => HttpBody.WriteJsonAsync(context, 200, "{\"version\":\"" + ProtocolVersion.VersionText + "\"}"));
        var health = app.Services.GetRequiredService<NodeHealthReport>();
        app.MapGet("/health", context => context.Connection.LocalPort == healthPort && healthPort != 0
            ? HttpBody.WriteJsonAsync(context, 200, CanonicalJson.Serialize(health.Build()))
            : NotFoundAsync(context));
        app.MapFallback("{*path}", NotFoundAsync);
    }
}
