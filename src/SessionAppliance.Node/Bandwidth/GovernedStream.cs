namespace SessionAppliance.Node.Bandwidth;

/// <summary>A socket's stream with every byte read or written passed through the governor.</summary>
public sealed class GovernedStream(Stream inner, BandwidthGovernor governor) : ForwardingStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        await governor.ThrottleAsync(Direction.Ingress, read, cancellationToken).ConfigureAwait(false);
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await governor.ThrottleAsync(Direction.Egress, buffer.Length, cancellationToken).ConfigureAwait(false);
        await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }
}
