using SessionAppliance.Node.Storage;

namespace SessionAppliance.Node.Rpc;

/// <summary>Told of each message a client store (direct or forwarded by a swarm member) kept for the first time.</summary>
public interface IStoredMessageListener
{
    void OnNewMessage(StoredMessage message);
}
