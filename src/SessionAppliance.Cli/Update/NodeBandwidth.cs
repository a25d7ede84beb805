using System.Text.Json;

namespace SessionAppliance.Cli.Update;

/// <summary>
/// What the node's bandwidth governor allows an update download, read from the node's /health: the download is
/// the lowest class, so it takes at most a quarter of the governor's current ingress rate, and waits while the
/// month's quota has less than twice the bundle left. The node does not count these bytes in its own counters.
/// </summary>
internal sealed record NodeBandwidth(long? RateBytesPerSecond, long? QuotaLeftBytes)
{
    public static NodeBandwidth Unlimited { get; } = new(null, null);

    public long? DownloadRate => RateBytesPerSecond is { } rate ? Math.Max(rate / 4, 16 * 1024) : null;

    public bool Affords(long bundleBytes) => QuotaLeftBytes is not { } left || left >= 2 * bundleBytes;

    public static async Task<NodeBandwidth> ReadAsync(HttpClient http, Uri health, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetByteArrayAsync(health, cancellationToken).ConfigureAwait(false));
            if (!document.RootElement.TryGetProperty("bandwidth", out var bandwidth))
            {
                return Unlimited;
            }

            long? Number(string name) => bandwidth.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? (long)value.GetDouble() : null;
            var quota = Number("quota_bytes");
            var counted = Number("counted_bytes") ?? 0;
            return new NodeBandwidth(Number("ingress_rate"), quota is { } q ? q - counted : null);
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Unlimited; // no node answering: nothing else on the board competes for the line
        }
    }
}
