using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SessionAppliance.OxenMq.Native;

namespace SessionAppliance.OxenMq;

/// <summary>
/// An OxenMQ endpoint on libzmq, wire-compatible with oxen-mq (spec §2): ROUTER listeners with CurveZMQ and a ZAP
/// handler that names each caller by its key, DEALER connections to remotes, <c>HI</c>/<c>HELLO</c>, tagged
/// requests and <c>REPLY</c>s, the refusal codes and <c>BYE</c>. Every socket lives on one loop thread; other
/// threads hand it work through a queue and an eventfd. Handlers run on the thread pool.
/// </summary>
public sealed partial class OxenMq : IDisposable
{
    private const int ReplyTagLength = 15;

    private readonly OxenMqOptions _options;
    private readonly ILogger _logger;
    private readonly nint _context;
    private readonly EventFd _wake = new();
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OmqReply>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Category> _categories = new(StringComparer.Ordinal);
    private readonly List<ZmqSocket> _listeners = [];
    private readonly Dictionary<string, Outgoing> _outgoing = new(StringComparer.Ordinal);
    private readonly Thread _thread;
    private ZmqSocket? _zap;
    private volatile bool _stopping;
    private bool _started;

    public OxenMq(OxenMqOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _context = LibZmq.ContextNew();
        if (_context == 0)
        {
            throw new IOException("zmq_ctx_new failed: " + LibZmq.LastError());
        }

        _thread = new Thread(RunLoop) { IsBackground = true, Name = "oxenmq" };
    }

    /// <summary>Declares a category and who may call it; at most <paramref name="maxQueued"/> of its messages are handled at once, the rest dropped (as oxen-mq's full queue does).</summary>
    public void AddCategory(string name, Access access, int maxQueued = 200)
    {
        EnsureNotStarted();
        _categories.Add(name, new Category(access, maxQueued));
    }

    /// <summary>A request command: the handler's parts go back as <c>["REPLY", tag, parts…]</c>; null sends nothing.</summary>
    public void AddRequestCommand(string category, string name, Func<OmqMessage, Task<IReadOnlyList<byte[]>?>> handler)
    {
        EnsureNotStarted();
        _categories[category].Commands.Add(name, new Command(handler, IsRequest: true));
    }

    /// <summary>A plain command: nothing is sent back.</summary>
    public void AddCommand(string category, string name, Func<OmqMessage, Task> handler)
    {
        EnsureNotStarted();
        _categories[category].Commands.Add(name, new Command(async m => { await handler(m).ConfigureAwait(false); return null; }, IsRequest: false));
    }

    /// <summary>Listens on <paramref name="address"/> (CurveZMQ when <paramref name="curve"/>); returns the bound address.</summary>
    public string Listen(string address, bool curve)
    {
        EnsureNotStarted();
        var socket = new ZmqSocket(_context, LibZmq.Router);
        try
        {
            SetCommonOptions(socket);
            socket.Set(LibZmq.ZapDomain, "i" + _listeners.Count + "e");
            if (curve)
            {
                socket.Set(LibZmq.CurveServer, 1);
                socket.Set(LibZmq.CurvePublicKey, _options.CurvePublicKey ?? throw new InvalidOperationException("a CurveZMQ listener needs a key pair"));
                socket.Set(LibZmq.CurveSecretKey, _options.CurveSecretKey!);
            }

            socket.Set(LibZmq.RouterHandover, 1);
            socket.Set(LibZmq.RouterMandatory, 1);
            socket.Bind(address);
            _listeners.Add(socket);
            return socket.LastEndpoint();
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start()
    {
        EnsureNotStarted();
        // The ZAP handler must be bound before any listener sees a handshake.
        _zap = new ZmqSocket(_context, LibZmq.Rep);
        _zap.Set(LibZmq.Linger, 0);
        _zap.Bind("inproc://zeromq.zap.01");
        _started = true;
        _thread.Start();
    }

    /// <summary>Sends a request and waits for its reply; a timeout, a refusal or a lost connection gives a failed reply, never an exception.</summary>
    public async Task<OmqReply> RequestAsync(OmqPeer peer, string command, IReadOnlyList<byte[]> parts, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var tag = RandomNumberGenerator.GetBytes(ReplyTagLength);
        var key = Convert.ToBase64String(tag);
        var answer = new TaskCompletionSource<OmqReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = answer;
        var frames = new ReadOnlyMemory<byte>[parts.Count + 2];
        frames[0] = Encoding.UTF8.GetBytes(command);
        frames[1] = tag;
        for (var i = 0; i < parts.Count; i++)
        {
            frames[i + 2] = parts[i];
        }

        Enqueue(() => SendToPeer(peer, frames));
        try
        {
            return await answer.Task.WaitAsync(timeout, _options.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return OmqReply.Failed(OmqErrors.Timeout);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    /// <summary>Sends a command that expects no reply.</summary>
    public void Send(OmqPeer peer, string command, params ReadOnlyMemory<byte>[] parts) =>
        Enqueue(() => SendToPeer(peer, [Encoding.UTF8.GetBytes(command), .. parts]));

    /// <summary>Sends a command over a connection a message came in on (pushes to subscribers).</summary>
    public void Send(OmqConnection connection, string command, params ReadOnlyMemory<byte>[] parts) =>
        Enqueue(() => SendOn(connection, [Encoding.UTF8.GetBytes(command), .. parts]));

    /// <summary>
    /// Opens a lasting connection the way oxen-mq's connect_remote does: <c>HI</c>, then waits for <c>HELLO</c>.
    /// Messages that arrive on it from the remote are given <paramref name="level"/> (oxend's connection is admin,
    /// so its <c>notify.block</c> is let through). False when no HELLO came in time.
    /// </summary>
    public async Task<bool> ConnectAsync(OmqPeer peer, AuthLevel level, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var hello = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            var connection = OutgoingFor(peer, lasting: true);
            connection.Level = level;
            connection.Hello = hello;
            connection.Socket.TrySend([Encoding.UTF8.GetBytes("HI")]);
        });
        try
        {
            await hello.Task.WaitAsync(timeout, _options.Time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            Enqueue(() => CloseOutgoing(peer.ConnectionKey));
            return false;
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_started)
        {
            _wake.Signal();
            _thread.Join();
        }
        else
        {
            CloseAll();
        }

        _wake.Dispose();
        foreach (var pending in _pending.Values)
        {
            pending.TrySetResult(OmqReply.Failed("closed"));
        }
    }

    private void Enqueue(Action action)
    {
        if (_stopping)
        {
            return;
        }

        _work.Enqueue(action);
        _wake.Signal();
    }

    private void EnsureNotStarted()
    {
        if (_started)
        {
            throw new InvalidOperationException("configure OxenMQ before Start()");
        }
    }

    private void SetCommonOptions(ZmqSocket socket)
    {
        // oxen-mq's settings for every external socket (connections.cpp).
        socket.Set(LibZmq.ReconnectInterval, 250);
        socket.Set(LibZmq.ReconnectIntervalMax, 5000);
        socket.Set(LibZmq.HandshakeInterval, 10_000);
        socket.Set(LibZmq.MaxMessageSize, (long)_options.MaxMessageSize);
        socket.Set(LibZmq.HeartbeatInterval, 15_000);
        socket.Set(LibZmq.HeartbeatTimeout, 30_000);
        socket.Set(LibZmq.Linger, 0);
    }

    private sealed class Category(Access access, int maxQueued)
    {
        public Access Access { get; } = access;

        public int MaxQueued { get; } = maxQueued;

        public int Queued;

        public Dictionary<string, Command> Commands { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Command(Func<OmqMessage, Task<IReadOnlyList<byte[]>?>> Handler, bool IsRequest);

    private sealed class Outgoing(ZmqSocket socket, OmqPeer peer, bool lasting)
    {
        public ZmqSocket Socket { get; } = socket;

        public OmqPeer Peer { get; } = peer;

        public bool Lasting { get; } = lasting;

        public AuthLevel Level { get; set; } = AuthLevel.None;

        public TaskCompletionSource? Hello { get; set; }

        public long LastActive { get; set; }
    }
}
