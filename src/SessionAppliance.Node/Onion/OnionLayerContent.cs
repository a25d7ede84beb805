using System.Buffers.Binary;
using System.Net;
using SessionAppliance.Protocol.Onion;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// The next hop's layer, <c>[u32 LE length][layer][JSON]</c>, written straight from the decrypted buffer, so a
/// relay never copies the payload into a new array.
/// </summary>
internal sealed class OnionLayerContent(ReadOnlyMemory<byte> layer, byte[] ephemeralKey, OnionCipher cipher, int hopNumber) : HttpContent
{
    private readonly byte[] _metadata = OnionPayload.Metadata(ephemeralKey, cipher, hopNumber);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)layer.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(layer, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(_metadata, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 4 + layer.Length + _metadata.Length;
        return true;
    }
}
