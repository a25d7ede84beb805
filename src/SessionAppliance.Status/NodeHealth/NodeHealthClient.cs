using System.Text.Json;
using SessionAppliance.Status.Model;

namespace SessionAppliance.Status.NodeHealth;

/// <summary>
/// Asks the node's local health endpoint how it is. Any failure (refused, timeout, garbage) is simply "no
/// answer": the engine turns a long silence into "error".
/// </summary>
public sealed class NodeHealthClient(HttpClient http, Uri healthUrl)
{
    public async Task<NodeReport?> TryReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(healthUrl, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: deadline.Token).ConfigureAwait(false);
            return Parse(document.RootElement);
        }
        // Anything the node says that cannot be read is no answer; the poll must never stop over it.
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException or JsonException or IOException or FormatException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The node's answer: {"ready": bool, "starting": bool, "not_ready": [..], "degraded": [..]}.</summary>
    public static NodeReport? Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ready", out var ready) || ready.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return null;
        }

        return new NodeReport(ready.GetBoolean(), Strings(root, "not_ready"), Strings(root, "degraded"),
            root.TryGetProperty("starting", out var starting) && starting.ValueKind == JsonValueKind.True)
        {
            Figures = NodeFigures.Parse(root),
        };
    }

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
