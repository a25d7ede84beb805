using System.Text.Json;

namespace SessionAppliance.Node.Swarm;

/// <summary>
/// JSON another node or a seed sent: a wrong shape (an array for an object, a string for a number, duplicate
/// keys, a missing field) makes the answer unusable, never an exception that reaches a background loop or a client.
/// </summary>
public static class UntrustedJson
{
    public static bool IsShapeError(Exception error) =>
        error is JsonException or InvalidOperationException or ArgumentException or NullReferenceException or FormatException or OverflowException;

    /// <summary>Reads a value out of an answer; the fallback when anything about its shape is wrong.</summary>
    public static T Read<T>(byte[] body, Func<System.Text.Json.Nodes.JsonNode, T> read, T fallback)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body) is { } node ? read(node) : fallback;
        }
        catch (Exception error) when (IsShapeError(error))
        {
            return fallback;
        }
    }
}
