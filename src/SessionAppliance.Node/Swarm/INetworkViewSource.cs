namespace SessionAppliance.Node.Swarm;

/// <summary>Gives the current network view; sources replace the view as a whole when the node list changes.</summary>
public interface INetworkViewSource
{
    INetworkView Current { get; }
}
