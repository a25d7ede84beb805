using System.Runtime.InteropServices;
using System.Text;

namespace SessionAppliance.OxenMq.Native;

/// <summary>One libzmq socket. Like every ZMQ socket it is touched only by the thread that owns it (the loop).</summary>
internal sealed unsafe class ZmqSocket : IDisposable
{
    private nint _handle;

    public ZmqSocket(nint context, int type)
    {
        _handle = LibZmq.Socket(context, type);
        if (_handle == 0)
        {
            throw new IOException("zmq_socket failed: " + LibZmq.LastError());
        }
    }

    public nint Handle => _handle;

    public void Set(int option, int value) => SetRaw(option, &value, sizeof(int));

    public void Set(int option, long value) => SetRaw(option, &value, sizeof(long));

    public void Set(int option, ReadOnlySpan<byte> value)
    {
        fixed (byte* pointer = value)
        {
            SetRaw(option, pointer, (nuint)value.Length);
        }
    }

    public void Set(int option, string value) => Set(option, Encoding.UTF8.GetBytes(value));

    public void Bind(string endpoint)
    {
        if (LibZmq.Bind(_handle, endpoint) != 0)
        {
            throw new IOException($"cannot listen on {endpoint}: {LibZmq.LastError()}");
        }
    }

    public void Connect(string endpoint)
    {
        if (LibZmq.Connect(_handle, endpoint) != 0)
        {
            throw new IOException($"cannot connect to {endpoint}: {LibZmq.LastError()}");
        }
    }

    /// <summary>The address actually bound (a "tcp://0.0.0.0:0" bind learns its port here).</summary>
    public string LastEndpoint()
    {
        var buffer = stackalloc byte[256];
        nuint length = 256;
        return LibZmq.GetOption(_handle, LibZmq.LastEndpoint, buffer, &length) == 0
            ? Encoding.UTF8.GetString(buffer, (int)length).TrimEnd('\0')
            : "";
    }

    /// <summary>Sends every part without blocking; false when the peer is gone or its queue is full.</summary>
    public bool TrySend(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            var flags = LibZmq.DontWait | (i < parts.Count - 1 ? LibZmq.SendMore : 0);
            fixed (byte* pointer = parts[i].Span)
            {
                if (LibZmq.Send(_handle, pointer, (nuint)parts[i].Length, flags) < 0)
                {
                    // Only the first part can fail alone: ZMQ queues a multipart message atomically after it.
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Receives one whole multipart message if one is waiting, with the properties OxenMQ reads.</summary>
    public ReceivedMessage? TryReceive()
    {
        var parts = new List<byte[]>();
        string? userId = null, authLevel = null, peerAddress = null;
        LibZmq.Message message;
        while (true)
        {
            LibZmq.MessageInit(&message);
            if (LibZmq.MessageReceive(&message, _handle, LibZmq.DontWait) < 0)
            {
                LibZmq.MessageClose(&message);
                return null;
            }

            var size = (int)LibZmq.MessageSize(&message);
            parts.Add(new ReadOnlySpan<byte>(LibZmq.MessageData(&message), size).ToArray());
            // The ROUTER's routing-id frame is made locally and carries no properties; the peer's frames do.
            if (userId is null && authLevel is null)
            {
                userId = Property(&message, "User-Id");
                authLevel = Property(&message, "X-AuthLevel");
                peerAddress = Property(&message, "Peer-Address");
            }

            var more = LibZmq.MessageMore(&message) != 0;
            LibZmq.MessageClose(&message);
            if (!more)
            {
                return new ReceivedMessage(parts, userId, authLevel, peerAddress);
            }
        }
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            Set(LibZmq.Linger, 0);
            LibZmq.Close(_handle);
            _handle = 0;
        }
    }

    private void SetRaw(int option, void* value, nuint length)
    {
        if (LibZmq.SetOption(_handle, option, value, length) != 0)
        {
            throw new IOException($"zmq_setsockopt({option}) failed: {LibZmq.LastError()}");
        }
    }

    private static string? Property(LibZmq.Message* message, string name)
    {
        var value = LibZmq.MessageGets(message, name);
        return value == 0 ? null : Marshal.PtrToStringUTF8(value);
    }
}

/// <param name="Parts">Every frame, the ROUTER's routing id first when received on a ROUTER.</param>
/// <param name="UserId">What the ZAP handler named the sender (OxenMQ: its CurveZMQ key in hex).</param>
/// <param name="AuthLevel">The ZAP handler's "X-AuthLevel" property.</param>
internal sealed record ReceivedMessage(List<byte[]> Parts, string? UserId, string? AuthLevel, string? PeerAddress);
