namespace SessionAppliance.Node.Rpc;

/// <summary>Where a request came from; forwarded requests get the peer time windows (spec §3.3).</summary>
public sealed record RpcContext(ClientRpcDispatcher Dispatcher, bool FromSwarmPeer = false);
