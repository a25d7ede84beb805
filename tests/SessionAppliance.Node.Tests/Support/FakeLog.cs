using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SessionAppliance.Node.Tests.Support;

/// <summary>Keeps every formatted line logged to it, for tests that check what an operator is told.</summary>
public sealed class FakeLog : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue(formatter(state, exception));
}
