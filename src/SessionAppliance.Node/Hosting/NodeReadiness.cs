using System.Collections.Concurrent;

namespace SessionAppliance.Node.Hosting;

/// <summary>
/// Why the node is not ready to serve, if anything (spec §2: 503 "Service node is not ready: &lt;reasons&gt;", reasons joined by "; ").
/// Each component sets or clears its own reason.
/// </summary>
public sealed class NodeReadiness
{
    private readonly ConcurrentDictionary<string, string> _reasons = new(StringComparer.Ordinal);

    public bool IsReady => _reasons.IsEmpty;

    public IReadOnlyList<string> ReasonList => [.. _reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)];

    public string Reasons => string.Join("; ", ReasonList);

    public void NotReady(string component, string reason) => _reasons[component] = reason;

    public void Ready(string component) => _reasons.TryRemove(component, out _);
}
