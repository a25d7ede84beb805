namespace SessionAppliance.Node.Rpc;

/// <summary>Where a request came from; forwarded requests get the peer time windows (spec §3.3).</summary>
/// <param name="LocalDone">Completed once a forwarded request has been applied here, while its peers may still be
/// answering: how a batch runs each subrequest's local part in order, as the reference's does.</param>
public sealed record RpcContext(ClientRpcDispatcher Dispatcher, bool FromSwarmPeer = false, TaskCompletionSource? LocalDone = null);
