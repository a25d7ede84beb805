using System.Runtime.InteropServices;

namespace SessionAppliance.OxenMq.Native;

/// <summary>
/// A Linux eventfd that wakes the OxenMQ loop from any thread: ZMQ sockets may only be touched by the loop's
/// own thread, and zmq_poll can wait on a plain file descriptor next to them.
/// </summary>
internal sealed unsafe partial class EventFd : IDisposable
{
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    public EventFd()
    {
        Descriptor = Create(0, NonBlocking | CloseOnExec);
        if (Descriptor < 0)
        {
            throw new IOException("eventfd failed: errno " + Marshal.GetLastPInvokeError());
        }
    }

    public int Descriptor { get; }

    public void Signal()
    {
        ulong one = 1;
        _ = Write(Descriptor, &one, 8);
    }

    /// <summary>Clears pending signals; called by the loop before it drains its queue.</summary>
    public void Reset()
    {
        ulong count;
        _ = Read(Descriptor, &count, 8);
    }

    public void Dispose() => _ = CloseDescriptor(Descriptor);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int Create(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint Write(int descriptor, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint Read(int descriptor, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseDescriptor(int descriptor);
}
