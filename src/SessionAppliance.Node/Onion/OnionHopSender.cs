using System.Globalization;
using SessionAppliance.Node.Omq;
using SessionAppliance.Node.Swarm;
using SessionAppliance.Protocol.Bencode;
using SessionAppliance.Protocol.Onion;
using SessionAppliance.Protocol.Swarm;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// Hands an onion layer to the next node: over OxenMQ as <c>sn.onion_request</c> (a bt dict of <c>data</c>,
/// <c>enc_type</c>, <c>ephemeral_key</c> and <c>hop_no</c>; answered <c>[status, body]</c>, spec §4.3) when peers
/// are reached that way, else as HTTPS <c>/onion_req/v2</c>. Null when no answer came.
/// </summary>
public sealed class OnionHopSender(PeerHttpClient http, OmqHost omq)
{
    public async Task<(int Status, byte[] Body)?> SendAsync(
        ServiceNode next, ReadOnlyMemory<byte> layer, byte[] ephemeralKey, OnionCipher cipher, int hopNumber, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (omq.CarriesPeerTraffic)
        {
            var request = new BtDict()
                .Set("data", BtValue.From(layer.Span))
                .Set("enc_type", BtValue.From(OnionCipherNames.WireName(cipher)))
                .Set("ephemeral_key", BtValue.From(ephemeralKey))
                .Set("hop_no", BtValue.From((long)hopNumber));
            var reply = await omq.RequestAsync(next, "sn.onion_request", [BtWriter.Encode(request)], timeout, cancellationToken).ConfigureAwait(false);
            if (!reply.Success)
            {
                return null;
            }

            // As the reference: an answer that is not [code, body] is a 500.
            return reply.Parts.Count >= 2 && int.TryParse(System.Text.Encoding.ASCII.GetString(reply.Parts[0]), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                ? (status, reply.Parts[1])
                : (500, []);
        }

        var answer = await http.PostAsync(next, "/onion_req/v2", new OnionLayerContent(layer, ephemeralKey, cipher, hopNumber), timeout, cancellationToken).ConfigureAwait(false);
        return answer.Delivered ? (answer.Status, answer.Body) : null;
    }
}
