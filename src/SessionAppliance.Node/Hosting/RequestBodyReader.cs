using System.Buffers;
using System.Diagnostics;

namespace SessionAppliance.Node.Hosting;

/// <summary>
/// Reads request bodies into pooled buffers that grow with the bytes that have actually arrived, never with the
/// Content-Length a client announces, within one node-wide budget of bytes in flight. A body above the
/// protocol's 10 MiB cap (spec §2) answers 413; a body the budget cannot hold answers 503 before memory runs out.
/// </summary>
public sealed partial class RequestBodyReader(NodeOptions options, ILogger<RequestBodyReader> logger)
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>A first buffer that holds every ordinary request whole; larger ones double as bytes arrive.</summary>
    private const int FirstBufferBytes = 16 * 1024;

    private readonly long _budgetBytes = options.ResolveBodyBytesInFlight();
    private long _reservedBytes;

    /// <summary>Bytes of pooled buffers currently held by request bodies being read or handled.</summary>
    public long ReservedBytes => Volatile.Read(ref _reservedBytes);

    /// <summary>
    /// The whole body, valid until the response is complete; or null after answering 413 or 503 itself. A client
    /// that leaves mid-body cancels the request.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context)
    {
        var announced = context.Request.ContentLength;
        if (announced > MaxBytes)
        {
            await RefuseTooLargeAsync(context).ConfigureAwait(false);
            return null;
        }

        var body = new PooledBody(this);
        context.Response.RegisterForDispose(body);
        var outcome = await FillAsync(context, body, announced).ConfigureAwait(false);
        switch (outcome)
        {
            case Fill.Complete:
                return body.Memory;
            case Fill.TooLarge:
                await RefuseTooLargeAsync(context).ConfigureAwait(false);
                return null;
            default:
                NoteRefusal();
                await HttpBody.WriteTextAsync(context, 503, "Service node is busy: too many request bytes in flight\n").ConfigureAwait(false);
                return null;
        }
    }

    /// <summary>The reference closes the connection after a 413: the rest of the body is never read.</summary>
    private static Task RefuseTooLargeAsync(HttpContext context)
    {
        context.Response.Headers.Connection = "close";
        return HttpBody.WriteTextAsync(context, 413, "Request body too large");
    }

    private enum Fill
    {
        Complete,
        TooLarge,
        OverBudget,
    }

    private static async Task<Fill> FillAsync(HttpContext context, PooledBody body, long? announced)
    {
        // A chunked body may run one byte past the cap, which is how we learn that it is too large.
        var limit = announced ?? MaxBytes + 1;
        try
        {
            while (body.Length < limit)
            {
                if (!body.TryMakeRoom((int)Math.Min(limit, FirstBufferBytes), (int)limit))
                {
                    return Fill.OverBudget;
                }

                var read = await context.Request.Body.ReadAsync(body.FreeSpace(limit), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                body.Advance(read);
            }
        }
        catch (Exception error) when (error is BadHttpRequestException or IOException)
        {
            throw ClientLeft(context, error);
        }

        if (body.Length > MaxBytes)
        {
            return Fill.TooLarge;
        }

        return announced is { } expected && body.Length < expected ? throw ClientLeft(context, null) : Fill.Complete;
    }

    // The client went away mid-body: nothing to answer, nobody to answer to.
    private static OperationCanceledException ClientLeft(HttpContext context, Exception? error)
    {
        context.Abort();
        return new OperationCanceledException("client closed the connection", error, context.RequestAborted);
    }

    private bool TryReserve(int bytes)
    {
        if (Interlocked.Add(ref _reservedBytes, bytes) <= _budgetBytes)
        {
            return true;
        }

        Interlocked.Add(ref _reservedBytes, -bytes);
        return false;
    }

    private void Release(int bytes)
    {
        var left = Interlocked.Add(ref _reservedBytes, -bytes);
        Debug.Assert(left >= 0, "released more body bytes than were reserved");
    }

    /// <summary>One body's buffer: rented from the shared pool, reserved against the budget, returned on dispose.</summary>
    private sealed class PooledBody(RequestBodyReader owner) : IDisposable
    {
        private byte[] _buffer = [];

        public int Length { get; private set; }

        public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

        public Memory<byte> FreeSpace(long limit) => _buffer.AsMemory(Length, (int)Math.Min(_buffer.Length, limit) - Length);

        public void Advance(int count) => Length += count;

        /// <summary>Ensures free space, doubling the buffer (at most to <paramref name="limit"/>) when it is full.</summary>
        public bool TryMakeRoom(int firstSize, int limit)
        {
            if (Length < _buffer.Length)
            {
                return true;
            }

            var size = _buffer.Length == 0 ? firstSize : (int)Math.Min((long)_buffer.Length * 2, limit);
            var larger = ArrayPool<byte>.Shared.Rent(size);

            // Only the growth is reserved: the old buffer goes back to the pool as soon as it is copied.
            if (!owner.TryReserve(larger.Length - _buffer.Length))
            {
                ArrayPool<byte>.Shared.Return(larger);
                return false;
            }

            _buffer.AsSpan(0, Length).CopyTo(larger);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
            return true;
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                owner.Release(_buffer.Length);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }
    }

    private long _refusedSinceLog;
    private long _nextLogTick;

    /// <summary>One log line a minute at most, with the count, so an attack cannot flood the journal.</summary>
    private void NoteRefusal()
    {
        Interlocked.Increment(ref _refusedSinceLog);
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextLogTick);
        if (now >= next && Interlocked.CompareExchange(ref _nextLogTick, now + 60_000, next) == next)
        {
            LogBudgetExhausted(Interlocked.Exchange(ref _refusedSinceLog, 0), _budgetBytes);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} request bodies (503) since the last report: bodies in flight already held the {BudgetBytes}-byte budget (Node:BodyBytesInFlight)")]
    private partial void LogBudgetExhausted(long count, long budgetBytes);
}
