using System.Text;
using Microsoft.Extensions.Logging;
using SessionAppliance.OxenMq.Native;

namespace SessionAppliance.OxenMq;

/// <summary>The loop thread: polls every socket and the wake-up eventfd, runs queued work, routes what arrives.</summary>
public sealed partial class OxenMq
{
    /// <summary>Messages taken from one socket before the others get a turn.</summary>
    private const int FairShare = 256;

    private long _lastIdleCheck;

    private void RunLoop()
    {
        try
        {
            while (!_stopping)
            {
                var sockets = PolledSockets();
                var items = new LibZmq.PollItem[sockets.Count + 1];
                items[0] = new LibZmq.PollItem { FileDescriptor = _wake.Descriptor, Events = LibZmq.PollIn };
                for (var i = 0; i < sockets.Count; i++)
                {
                    items[i + 1] = new LibZmq.PollItem { Socket = sockets[i].Socket.Handle, Events = LibZmq.PollIn };
                }

                if (!Poll(items))
                {
                    LogPollFailed(_logger, LibZmq.LastError());
                    break;
                }

                if (items[0].ReturnedEvents != 0)
                {
                    _wake.Reset();
                }

                // Sockets first: queued work may close one of them.
                for (var i = 0; i < sockets.Count; i++)
                {
                    if (items[i + 1].ReturnedEvents != 0)
                    {
                        Drain(sockets[i]);
                    }
                }

                while (_work.TryDequeue(out var action))
                {
                    action();
                }

                ExpireIdleConnections();
            }
        }
        finally
        {
            CloseAll();
        }
    }

    private static unsafe bool Poll(LibZmq.PollItem[] items)
    {
        fixed (LibZmq.PollItem* pointer = items)
        {
            return LibZmq.Poll(pointer, items.Length, 1000) >= 0 || LibZmq.Errno() == LibZmq.EIntr;
        }
    }

    private List<(ZmqSocket Socket, Outgoing? Outgoing)> PolledSockets()
    {
        var sockets = new List<(ZmqSocket, Outgoing?)>(_listeners.Count + _outgoing.Count + 1) { (_zap!, null) };
        sockets.AddRange(_listeners.Select(l => (l, (Outgoing?)null)));
        sockets.AddRange(_outgoing.Values.Select(o => (o.Socket, (Outgoing?)o)));
        return sockets;
    }

    private void Drain((ZmqSocket Socket, Outgoing? Outgoing) source)
    {
        for (var i = 0; i < FairShare; i++)
        {
            if (source.Socket.TryReceive() is not { } message)
            {
                return;
            }

            if (source.Socket == _zap)
            {
                AnswerZap(message);
            }
            else if (source.Outgoing is { } outgoing)
            {
                outgoing.LastActive = _options.Time.GetTimestamp();
                OnOutgoingMessage(outgoing, message);
            }
            else
            {
                OnListenerMessage(source.Socket, message);
            }

            if (source.Outgoing is not null && !_outgoing.ContainsValue(source.Outgoing))
            {
                return; // BYE closed it.
            }
        }
    }

    private void OnListenerMessage(ZmqSocket listener, ReceivedMessage message)
    {
        if (message.Parts.Count < 2)
        {
            return;
        }

        var route = message.Parts[0];
        var connection = new OmqConnection(listener, route);
        var command = Encoding.UTF8.GetString(message.Parts[1]);
        var sender = message.UserId is { Length: 64 } hex ? Convert.FromHexString(hex) : [];
        var level = ParseLevel(message.AuthLevel);
        Route(connection, command, message.Parts.GetRange(2, message.Parts.Count - 2), sender, level, message.PeerAddress);
    }

    private void OnOutgoingMessage(Outgoing outgoing, ReceivedMessage message)
    {
        if (message.Parts.Count == 0)
        {
            return;
        }

        var command = Encoding.UTF8.GetString(message.Parts[0]);
        var connection = new OmqConnection(outgoing, null);
        Route(connection, command, message.Parts.GetRange(1, message.Parts.Count - 1), outgoing.Peer.CurveKey ?? [], outgoing.Level, null);
    }

    /// <summary>What every connection does with a message: the built-in words, replies, refusals, then commands.</summary>
    private void Route(OmqConnection connection, string command, List<byte[]> rest, byte[] sender, AuthLevel level, string? address)
    {
        switch (command)
        {
            case "HI":
                SendOn(connection, [Encoding.UTF8.GetBytes("HELLO")]);
                return;
            case "HELLO":
                (connection.Socket as Outgoing)?.Hello?.TrySetResult();
                return;
            case "BYE":
                if (connection.Socket is Outgoing closing)
                {
                    CloseOutgoing(closing.Peer.ConnectionKey);
                }

                return;
            case "REPLY":
                if (rest.Count > 0 && _pending.TryRemove(Convert.ToBase64String(rest[0]), out var answer))
                {
                    answer.TrySetResult(new OmqReply(true, rest.GetRange(1, rest.Count - 1)));
                }

                return;
        }

        if (OmqErrors.All.Contains(command))
        {
            // [CODE, "REPLY", tag] fails that request; [CODE, command] can only be logged (the caller will time out).
            if (rest.Count >= 2 && rest[0].AsSpan().SequenceEqual("REPLY"u8) && _pending.TryRemove(Convert.ToBase64String(rest[1]), out var refused))
            {
                refused.TrySetResult(OmqReply.Failed(command));
            }
            else
            {
                LogRefused(_logger, command, rest.Count > 0 ? Encoding.UTF8.GetString(rest[0]) : "");
            }

            return;
        }

        Dispatch(connection, command, rest, sender, level, address);
    }

    private static AuthLevel ParseLevel(string? text) => text switch
    {
        "admin" => AuthLevel.Admin,
        "basic" => AuthLevel.Basic,
        "none" => AuthLevel.None,
        _ => AuthLevel.None,
    };

    private Outgoing OutgoingFor(OmqPeer peer, bool lasting = false)
    {
        if (_outgoing.TryGetValue(peer.ConnectionKey, out var existing))
        {
            return existing;
        }

        var socket = new ZmqSocket(_context, LibZmq.Dealer);
        try
        {
            SetCommonOptions(socket);
            if (peer.CurveKey is not null)
            {
                socket.Set(LibZmq.CurveServerKey, peer.CurveKey);
                socket.Set(LibZmq.CurvePublicKey, _options.CurvePublicKey ?? throw new InvalidOperationException("CurveZMQ needs a key pair"));
                socket.Set(LibZmq.CurveSecretKey, _options.CurveSecretKey!);
                // oxen-mq's routing id: 'L' and our key, so a reconnection takes over the old route (router handover).
                socket.Set(LibZmq.RoutingId, [(byte)'L', .. _options.CurvePublicKey]);
            }

            socket.Connect(peer.Address);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var outgoing = new Outgoing(socket, peer, lasting) { LastActive = _options.Time.GetTimestamp() };
        _outgoing[peer.ConnectionKey] = outgoing;
        return outgoing;
    }

    private void SendToPeer(OmqPeer peer, ReadOnlyMemory<byte>[] frames)
    {
        Outgoing outgoing;
        try
        {
            outgoing = OutgoingFor(peer);
        }
        catch (IOException error)
        {
            LogConnectFailed(_logger, peer.Address, error.Message);
            return;
        }

        outgoing.LastActive = _options.Time.GetTimestamp();
        if (!outgoing.Socket.TrySend(frames))
        {
            LogSendDropped(_logger, peer.Address);
        }
    }

    private void SendOn(OmqConnection connection, ReadOnlyMemory<byte>[] frames)
    {
        switch (connection.Socket)
        {
            case ZmqSocket listener when _listeners.Contains(listener):
                // A caller that has gone is not an error: its answer has nowhere to go (router_mandatory says so).
                _ = listener.TrySend([connection.Route!, .. frames]);
                break;
            case Outgoing outgoing when _outgoing.ContainsValue(outgoing):
                outgoing.LastActive = _options.Time.GetTimestamp();
                _ = outgoing.Socket.TrySend(frames);
                break;
        }
    }

    private void ExpireIdleConnections()
    {
        var now = _options.Time.GetTimestamp();
        if (_options.Time.GetElapsedTime(_lastIdleCheck, now) < TimeSpan.FromSeconds(30))
        {
            return;
        }

        _lastIdleCheck = now;
        foreach (var idle in _outgoing.Values.Where(o => !o.Lasting && _options.Time.GetElapsedTime(o.LastActive, now) > _options.IdleConnectionLifetime).ToList())
        {
            CloseOutgoing(idle.Peer.ConnectionKey);
        }
    }

    private void CloseOutgoing(string key)
    {
        if (_outgoing.Remove(key, out var outgoing))
        {
            outgoing.Socket.Dispose();
        }
    }

    private void CloseAll()
    {
        foreach (var outgoing in _outgoing.Values)
        {
            outgoing.Socket.Dispose();
        }

        _outgoing.Clear();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
        _zap?.Dispose();
        _zap = null;
        LibZmq.ContextTerm(_context);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "OxenMQ stopped: zmq_poll failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "OxenMQ refusal {Code} for {Command}")]
    private static partial void LogRefused(ILogger logger, string code, string command);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "OxenMQ cannot connect to {Address}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string address, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "OxenMQ message to {Address} dropped: its queue is full")]
    private static partial void LogSendDropped(ILogger logger, string address);
}
