using System.Runtime.InteropServices;

namespace SessionAppliance.OxenMq.Native;

/// <summary>The part of libzmq's C API (4.3, Debian's libzmq5) that OxenMQ needs.</summary>
internal static unsafe partial class LibZmq
{
    private const string Library = "libzmq.so.5";

    public const int Dealer = 5;
    public const int Router = 6;
    public const int Rep = 4;

    public const int DontWait = 1;
    public const int SendMore = 2;
    public const short PollIn = 1;

    public const int RoutingId = 5;
    public const int ReceiveMore = 13;
    public const int Linger = 17;
    public const int ReconnectInterval = 18;
    public const int ReconnectIntervalMax = 21;
    public const int MaxMessageSize = 22;
    public const int SendHighWaterMark = 23;
    public const int ReceiveHighWaterMark = 24;
    public const int LastEndpoint = 32;
    public const int RouterMandatory = 33;
    public const int CurveServer = 47;
    public const int CurvePublicKey = 48;
    public const int CurveSecretKey = 49;
    public const int CurveServerKey = 50;
    public const int ZapDomain = 55;
    public const int RouterHandover = 56;
    public const int HandshakeInterval = 66;
    public const int HeartbeatInterval = 75;
    public const int HeartbeatTtl = 76;
    public const int HeartbeatTimeout = 77;
    public const int ZapEnforceDomain = 93;

    public const int EAgain = 11;
    public const int EIntr = 4;
    public const int EHostUnreachable = 113;
    public const int ETerm = 156384765;

    /// <summary><c>zmq_msg_t</c>: 64 opaque bytes, pointer aligned.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Message
    {
        private readonly long _alignment;
    }

    /// <summary><c>zmq_pollitem_t</c> on Linux: socket pointer, file descriptor, events, returned events.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollItem
    {
        public nint Socket;
        public int FileDescriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Library, EntryPoint = "zmq_ctx_new")]
    public static partial nint ContextNew();

    [LibraryImport(Library, EntryPoint = "zmq_ctx_term")]
    public static partial int ContextTerm(nint context);

    [LibraryImport(Library, EntryPoint = "zmq_ctx_shutdown")]
    public static partial int ContextShutdown(nint context);

    [LibraryImport(Library, EntryPoint = "zmq_socket")]
    public static partial nint Socket(nint context, int type);

    [LibraryImport(Library, EntryPoint = "zmq_close")]
    public static partial int Close(nint socket);

    [LibraryImport(Library, EntryPoint = "zmq_setsockopt")]
    public static partial int SetOption(nint socket, int option, void* value, nuint length);

    [LibraryImport(Library, EntryPoint = "zmq_getsockopt")]
    public static partial int GetOption(nint socket, int option, void* value, nuint* length);

    [LibraryImport(Library, EntryPoint = "zmq_bind", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Bind(nint socket, string endpoint);

    [LibraryImport(Library, EntryPoint = "zmq_connect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Connect(nint socket, string endpoint);

    [LibraryImport(Library, EntryPoint = "zmq_send")]
    public static partial int Send(nint socket, void* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "zmq_msg_init")]
    public static partial int MessageInit(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_recv")]
    public static partial int MessageReceive(Message* message, nint socket, int flags);

    [LibraryImport(Library, EntryPoint = "zmq_msg_data")]
    public static partial void* MessageData(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_size")]
    public static partial nuint MessageSize(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_more")]
    public static partial int MessageMore(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_msg_gets", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint MessageGets(Message* message, string property);

    [LibraryImport(Library, EntryPoint = "zmq_msg_close")]
    public static partial int MessageClose(Message* message);

    [LibraryImport(Library, EntryPoint = "zmq_poll")]
    public static partial int Poll(PollItem* items, int count, long timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "zmq_errno")]
    public static partial int Errno();

    [LibraryImport(Library, EntryPoint = "zmq_strerror")]
    public static partial nint StrError(int error);

    public static string LastError()
    {
        var code = Errno();
        return Marshal.PtrToStringUTF8(StrError(code)) + " (" + code + ")";
    }
}
