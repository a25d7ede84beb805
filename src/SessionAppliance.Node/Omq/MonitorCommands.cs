using SessionAppliance.Node.Rpc;
using SessionAppliance.Node.Storage;
using SessionAppliance.OxenMq;
using SessionAppliance.Protocol.Monitor;

namespace SessionAppliance.Node.Omq;

/// <summary>
/// <c>monitor.messages</c> subscriptions and their <c>notify.message</c> pushes (spec §2), as push-notification
/// servers use them: every message a client store keeps for the first time is pushed to the connections watching
/// its account and namespace, with its data for those that asked.
/// </summary>
public sealed class MonitorCommands(MessageMonitors monitors, ResponseStamp stamp, OmqHost host) : IStoredMessageListener
{
    public void Register(OxenMq.OxenMq omq)
    {
        omq.AddCategory("monitor", new Access(AuthLevel.None), maxQueued: 500);
        omq.AddRequestCommand("monitor", "messages", Subscribe);
    }

    public void OnNewMessage(StoredMessage message)
    {
        if (!host.IsRunning || monitors.IsEmpty)
        {
            return;
        }

        var (plain, withData) = monitors.WatchersOf(message.Owner, message.Namespace);
        if (plain.Count > 0)
        {
            Push(plain, MessageNotification.Encode(message.Owner, message.Hash, message.Namespace, message.TimestampMs, message.ExpiryMs, data: null));
        }

        if (withData.Count > 0)
        {
            Push(withData, MessageNotification.Encode(message.Owner, message.Hash, message.Namespace, message.TimestampMs, message.ExpiryMs, message.Data));
        }
    }

    private void Push(List<OmqConnection> connections, byte[] body)
    {
        foreach (var connection in connections)
        {
            host.Instance.Send(connection, "notify.message", body);
        }
    }

    private Task<IReadOnlyList<byte[]>?> Subscribe(OmqMessage message)
    {
        // Anything but exactly one part is answered as an unreadable body, as the reference answers it.
        var body = message.Parts.Count == 1 ? message.Parts[0] : [];
        var accepted = new List<MonitorSubscription>();
        var reply = MonitorRequest.Handle(body, stamp.NowMs, accepted);
        foreach (var subscription in accepted)
        {
            monitors.Add(subscription, message.Connection);
        }

        return Task.FromResult<IReadOnlyList<byte[]>?>([reply]);
    }
}
