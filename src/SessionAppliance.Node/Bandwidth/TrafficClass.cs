namespace SessionAppliance.Node.Bandwidth;

/// <summary>Kinds of traffic, most important first: under pressure the last is slowed or refused first.</summary>
public enum TrafficClass
{
    Swarm,
    Client,
    Onion,
    Proxy,

    /// <summary>A member of our swarm that came back empty, sent the swarm's messages: it can wait, so it yields to all else.</summary>
    Refill,
}

public enum Direction
{
    Ingress,
    Egress,
}
