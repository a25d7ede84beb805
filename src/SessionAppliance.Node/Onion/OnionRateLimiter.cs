using Microsoft.Extensions.Options;
using SessionAppliance.Node.Hosting;

namespace SessionAppliance.Node.Onion;

/// <summary>
/// Onion requests per source address, which the reference does not limit at all: every valid one costs this
/// node an X25519, so an unlimited source can spend its CPU. By default 300 at once, refilled at 30/s: a Session
/// client whose guard this is sends a few requests a second while polling (its swarms, a handful of
/// communities, the file server) and bursts of well under 100 at start-up, so this serves ten such clients
/// behind one NAT address, and holds one hostile address to 30 X25519/s (about 1% of a Pi 4's core).
/// Listed service nodes relaying hops are not limited by address (see <see cref="OnionEndpoint"/>).
/// </summary>
public sealed class OnionRateLimiter(TimeProvider time, IOptions<OnionOptions> options)
    : SourceRateLimiter(time, options.Value.SourceBurst, Math.Max(1, options.Value.SourceRequestsPerSecond))
{
    public bool Enabled => options.Value.SourceRequestsPerSecond > 0;
}
