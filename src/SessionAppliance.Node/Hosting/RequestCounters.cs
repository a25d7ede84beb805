namespace SessionAppliance.Node.Hosting;

/// <summary>The classes of work the operator's console plots as requests per second.</summary>
public enum RequestClass
{
    Store,
    Retrieve,
    OtherClient,
    Onion,
    Swarm,
}

/// <summary>
/// Running totals of requests by class since the node started, read by the health report. The console turns
/// totals into rates, so a missed poll loses no requests.
/// </summary>
public sealed class RequestCounters
{
    private readonly long[] _totals = new long[Enum.GetValues<RequestClass>().Length];

    public void Count(RequestClass requestClass) => Interlocked.Increment(ref _totals[(int)requestClass]);

    public long Total(RequestClass requestClass) => Interlocked.Read(ref _totals[(int)requestClass]);

    /// <summary>The client method's class: stores and retrieves apart, everything else together; peers' copies are swarm work.</summary>
    public static RequestClass ClassOf(string method, bool fromSwarmPeer) => fromSwarmPeer ? RequestClass.Swarm : method switch
    {
        "store" => RequestClass.Store,
        "retrieve" => RequestClass.Retrieve,
        _ => RequestClass.OtherClient,
    };
}
