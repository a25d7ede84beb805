using System.Text.Json;
using SessionAppliance.Protocol.Rpc;

namespace SessionAppliance.Node.Rpc;

/// <summary>
/// Routes a client RPC (<c>{"method","params"}</c>) to its handler and turns protocol errors into answers.
/// Used by the HTTPS endpoint, onion final destinations and batch/sequence alike.
/// </summary>
public sealed partial class ClientRpcDispatcher
{
    private readonly Dictionary<string, IClientMethod> _methods;
    private readonly ILogger<ClientRpcDispatcher> _logger;

    private readonly Swarm.SwarmReplicator _replicator;
    private readonly Hosting.RequestCounters _counters;

    public ClientRpcDispatcher(IEnumerable<IClientMethod> methods, Swarm.SwarmReplicator replicator, Hosting.RequestCounters counters, ILogger<ClientRpcDispatcher> logger)
    {
        _replicator = replicator;
        _counters = counters;
        _methods = methods.SelectMany(m => m.Declaration.Names.Select(name => (name, m))).ToDictionary(e => e.name, e => e.m, StringComparer.Ordinal);
        _logger = logger;
    }

    public bool Knows(string method) => _methods.ContainsKey(method);

    /// <summary>Whether a client's <paramref name="method"/> request goes to the swarm's other members too.</summary>
    public bool IsForwarded(string method) => _methods.TryGetValue(method, out var m) && m.Declaration.Forwarded;

    /// <summary>Whether <paramref name="method"/> is made of other requests, which a batch may not nest.</summary>
    public bool IsMeta(string method) => _methods.TryGetValue(method, out var m) && m.Declaration.Meta;

    /// <summary>Parses a request body and runs it.</summary>
    public async Task<RpcResponse> DispatchBodyAsync(ReadOnlyMemory<byte> body, bool fromSwarmPeer, CancellationToken cancellationToken)
    {
        // Like the reference's parser: a leading BOM is skipped, ill-formed UTF-8 is not JSON.
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return RpcResponse.Error(400, "invalid json");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return RpcResponse.Error(400, "invalid json");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String)
            {
                return RpcResponse.Error(400, "invalid json: no `method` field");
            }

            if (!root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                return RpcResponse.Error(400, "invalid json: no `params` field");
            }

            return await DispatchAsync(method.GetString()!, parameters, new RpcContext(this, fromSwarmPeer), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<RpcResponse> DispatchAsync(string method, JsonElement parameters, RpcContext context, CancellationToken cancellationToken)
    {
        _counters.Count(Hosting.RequestCounters.ClassOf(method, context.FromSwarmPeer));
        RpcCall call;
        try
        {
            call = Prepare(method, parameters, context);
        }
        catch (RpcException error)
        {
            return RpcResponse.From(error);
        }
        catch (InvalidOperationException)
        {
            // A string holding an escaped lone surrogate cannot be read: not valid JSON text for the reference.
            return RpcResponse.Error(400, "invalid json");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogRequestFailed(error, method);
            return RpcResponse.Error(500, "request failed");
        }

        return await RunAsync(method, call, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Parses a request for <paramref name="method"/>; throws <see cref="RpcException"/> when it is malformed. A
    /// state-changing request from a client (not from a peer) also goes to the swarm's other members.
    /// </summary>
    public RpcCall Prepare(string method, JsonElement parameters, RpcContext context)
    {
        var call = _methods.TryGetValue(method, out var handler)
            ? handler.Prepare(new RpcParams(parameters), context)
            : throw new RpcException(400, "no method " + method);
        return context.FromSwarmPeer || !IsForwarded(method) ? call : _replicator.Wrap(method, parameters, call, context.LocalDone);
    }

    /// <summary>Runs a prepared call; protocol errors become answers, bugs become 500 "request failed".</summary>
    public async Task<RpcResponse> RunAsync(string method, RpcCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            return RpcResponse.From(error);
        }
        catch (Storage.StoreUnavailableException error)
        {
            // The card is full (or the store failed under a write): said plainly, never a hang or a stack trace.
            return RpcResponse.Error(507, error.Message);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogRequestFailed(error, method);
            return RpcResponse.Error(500, "request failed");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} request failed")]
    private partial void LogRequestFailed(Exception error, string method);
}
