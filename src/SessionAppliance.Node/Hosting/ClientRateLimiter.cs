namespace SessionAppliance.Node.Hosting;

/// <summary>The reference's client RPC limit (spec §3.5): 600 tokens, 300/s per IPv4 address; refusals answer 429.</summary>
public sealed class ClientRateLimiter(TimeProvider time) : SourceRateLimiter(time, BucketTokens, TokensPerSecond)
{
    public const int BucketTokens = 600;
    public const int TokensPerSecond = 300;
}
