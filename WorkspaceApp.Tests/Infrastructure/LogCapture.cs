using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>Collects every log line of an app ("Category: message exception") for tests that read the logs.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();
    public IReadOnlyCollection<string> Lines => lines;
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
