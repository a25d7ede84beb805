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
        for (var i = 0; i < SourceRateLimiter.MaxTrackedSources; i++)
        {
            Assert.True(limiter.TryAcquire(new IPAddress(0x0A000000u + (uint)i)));
        }

        Assert.False(limiter.TryAcquire(IPAddress.Parse("198.51.100.1")));

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True(limiter.TryAcquire(IPAddress.Parse("198.51.100.1")));
        Assert.True(limiter.TrackedSources <= SourceRateLimiter.MaxTrackedSources);
    }

    [Fact]
    public void Tokens_are_whole_and_a_take_drops_the_partial_period_as_in_the_reference()
    {
        var limiter = new ClientRateLimiter(_clock);
        var client = IPAddress.Parse("203.0.113.11");
        while (limiter.TryAcquire(client))
        {
        }

        // One token is 3,333 µs. Requests 3.3 ms apart: the first finds none (and keeps its start time), the second
        // finds one at 6.6 ms and takes it, dropping the 0.0667 ms left over: every other request passes.
        var allowed = 0;
        for (var i = 0; i < 100; i++)
        {
            _clock.Advance(TimeSpan.FromMicroseconds(3_300));
            allowed += limiter.TryAcquire(client) ? 1 : 0;
        }

        Assert.Equal(50, allowed);
    }

    [Fact]
    public void Elapsed_time_is_clamped_to_one_empty_bucket_fill()
    {
        var limiter = new ClientRateLimiter(_clock);
        var client = IPAddress.Parse("203.0.113.12");
        while (limiter.TryAcquire(client))
        {
        }

        _clock.Advance(TimeSpan.FromDays(400));

        Assert.Equal(600, Enumerable.Range(0, 700).Count(_ => limiter.TryAcquire(client)));
    }
}
