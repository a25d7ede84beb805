using System.Net;
using SessionAppliance.Node.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace SessionAppliance.Node.Tests.Hosting;

public class ClientRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void A_client_gets_600_requests_at_once_then_is_limited()
    {
        var limiter = new ClientRateLimiter(_clock);
        var client = IPAddress.Parse("203.0.113.7");

        var allowed = Enumerable.Range(0, 700).Count(_ => limiter.TryAcquire(client));

        Assert.Equal(600, allowed);
    }

    [Fact]
    public void Tokens_refill_at_300_per_second()
    {
        var limiter = new ClientRateLimiter(_clock);
        var client = IPAddress.Parse("203.0.113.8");
        while (limiter.TryAcquire(client))
        {
        }

        _clock.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(30, Enumerable.Range(0, 100).Count(_ => limiter.TryAcquire(client)));
    }

    [Fact]
    public void Clients_are_limited_separately()
    {
        var limiter = new ClientRateLimiter(_clock);
        var first = IPAddress.Parse("203.0.113.9");
        while (limiter.TryAcquire(first))
        {
        }

        Assert.True(limiter.TryAcquire(IPAddress.Parse("203.0.113.10")));
    }

    [Fact]
    public void At_most_10000_clients_are_tracked_and_full_buckets_are_forgotten_first()
    {
        var limiter = new ClientRateLimiter(_clock);
        for (var i = 0; i < ClientRateLimiter.MaxTrackedClients; i++)
        {
            Assert.True(limiter.TryAcquire(new IPAddress(0x0A000000u + (uint)i)));
        }

        Assert.False(limiter.TryAcquire(IPAddress.Parse("198.51.100.1")));

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(limiter.TryAcquire(IPAddress.Parse("198.51.100.1")));
        Assert.True(limiter.TrackedClients <= ClientRateLimiter.MaxTrackedClients);
    }
}
