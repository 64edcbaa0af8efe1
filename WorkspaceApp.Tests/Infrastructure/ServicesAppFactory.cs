using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkspaceApp.Data;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>
/// An <see cref="AppFactory"/> (one host) with some services replaced at the edge of the world (a fake clock, a model)
/// and its logs captured.
/// </summary>
public sealed class ServicesAppFactory(DatabaseProvider provider, Action<IServiceCollection> replace) : AppFactory(provider)
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(replace);
        builder.ConfigureLogging(l => l.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Trace));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Logs.Dispose();
    }
}

/// <summary>Waits for a condition with a deadline (instead of sleeping for a guessed time).</summary>
public static class Eventually
{
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException($"Not within {timeout.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
        return watch.Elapsed;
    }
}
