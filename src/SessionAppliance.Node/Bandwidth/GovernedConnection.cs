using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace SessionAppliance.Node.Bandwidth;

/// <summary>
/// Kestrel connection middleware, placed before TLS so handshakes and record overhead count too: the
/// connection's transport is replaced by pipes over a <see cref="GovernedStream"/>.
/// </summary>
public static class GovernedConnection
{
    public static ConnectionDelegate Wrap(ConnectionDelegate next, BandwidthGovernor governor) => async context =>
    {
        var transport = context.Transport;
        var governed = new GovernedStream(new DuplexStream(transport.Input.AsStream(), transport.Output.AsStream()), governor);
        context.Transport = new Pipe(PipeReader.Create(governed), PipeWriter.Create(governed));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
        }
    };

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Reads from one stream and writes to another, as a socket does.</summary>
    private sealed class DuplexStream(Stream input, Stream output) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => input.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => output.WriteAsync(buffer, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

        public override void Flush() => output.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
