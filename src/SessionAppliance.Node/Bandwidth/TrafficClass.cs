namespace SessionAppliance.Node.Bandwidth;

/// <summary>Kinds of traffic, most important first: under pressure the last is slowed or refused first.</summary>
public enum TrafficClass
{
    Swarm,
    Client,
    Onion,
    Proxy,
}

public enum Direction
{
    Ingress,
    Egress,
}
