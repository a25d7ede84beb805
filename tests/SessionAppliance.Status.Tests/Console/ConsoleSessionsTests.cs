using Microsoft.Extensions.Time.Testing;
using SessionAppliance.Status.Console;

namespace SessionAppliance.Status.Tests.Console;

public class ConsoleSessionsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_change_needs_the_session_cookie_and_that_sessions_own_token()
    {
        var sessions = new ConsoleSessions(_clock, TimeSpan.FromHours(8));
        var (id, csrf) = sessions.Create();
        var (otherId, otherCsrf) = sessions.Create();

        Assert.True(sessions.Authorizes(id, csrf));
        Assert.False(sessions.Authorizes(id, otherCsrf));
        Assert.False(sessions.Authorizes(otherId, csrf));
        Assert.False(sessions.Authorizes(id, null));
        Assert.False(sessions.Authorizes(null, csrf));
        Assert.False(sessions.Authorizes("forged", csrf));
    }

    [Fact]
    public void A_session_ends_after_its_lifetime_and_at_sign_out()
    {
        var sessions = new ConsoleSessions(_clock, TimeSpan.FromHours(8));
        var (id, csrf) = sessions.Create();
        _clock.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        Assert.True(sessions.Authorizes(id, csrf));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(sessions.Authorizes(id, csrf));

        var (second, secondCsrf) = sessions.Create();
        sessions.End(second);
        Assert.False(sessions.Authorizes(second, secondCsrf));
    }

    [Fact]
    public void At_most_sixteen_sessions_are_kept_dropping_the_oldest()
    {
        var sessions = new ConsoleSessions(_clock, TimeSpan.FromHours(8));
        var first = sessions.Create();
        for (var i = 0; i < 16; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            sessions.Create();
        }

        Assert.Null(sessions.CsrfFor(first.Id));
    }
}
