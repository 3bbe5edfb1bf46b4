using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace RomanaAws.Etcd.Tests;

/// <summary>Log lines into the test's output, with the time, so a failing election test shows what each replica did.</summary>
internal sealed class TestLogger(ITestOutputHelper output, string name) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {name} {logLevel}: {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished.
        }
    }
}
