using System.Security.Cryptography;

namespace SessionAppliance.Status.Console;

/// <summary>
/// Browsers allowed to change things: each claimed one pairing window opened at the button. A session is a
/// random cookie value plus its own anti-forgery token; both live only in memory, so the board keeps no
/// password and a restart signs everyone out.
/// </summary>
public sealed class ConsoleSessions(TimeProvider time, TimeSpan lifetime)
{
    public const string CookieName = "session_console";
    private const int MaxSessions = 16;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset Expires, string Csrf)> _sessions = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => lifetime;

    public (string Id, string Csrf) Create()
    {
        var session = (Id: Token(), Csrf: Token());
        lock (_lock)
        {
            RemoveExpiredUnsynchronized();
            if (_sessions.Count >= MaxSessions)
            {
                _sessions.Remove(_sessions.MinBy(s => s.Value.Expires).Key);
            }

            _sessions[session.Id] = (time.GetUtcNow() + lifetime, session.Csrf);
        }

        return session;
    }

    /// <summary>The session's anti-forgery token, or null when the cookie names no live session.</summary>
    public string? CsrfFor(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        lock (_lock)
        {
            RemoveExpiredUnsynchronized();
            return _sessions.TryGetValue(id, out var session) ? session.Csrf : null;
        }
    }

    /// <summary>Whether a change may go ahead: a live session, and the form's token equal to that session's.</summary>
    public bool Authorizes(string? id, string? csrf) =>
        CsrfFor(id) is { } expected && csrf is not null
        && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(csrf));

    /// <summary>Browsers that may change things now: the page shows it, so a claim the operator did not make is seen.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                RemoveExpiredUnsynchronized();
                return _sessions.Count;
            }
        }
    }

    public void EndAll()
    {
        lock (_lock)
        {
            _sessions.Clear();
        }
    }

    public void End(string? id)
    {
        if (id is null)
        {
            return;
        }

        lock (_lock)
        {
            _sessions.Remove(id);
        }
    }

    private void RemoveExpiredUnsynchronized()
    {
        var now = time.GetUtcNow();
        foreach (var expired in _sessions.Where(s => s.Value.Expires <= now).Select(s => s.Key).ToList())
        {
            _sessions.Remove(expired);
        }
    }

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
