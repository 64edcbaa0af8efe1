using System.Reflection;
using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Hosting;

/// <summary>A setting that is missing or wrong: the app must not start, and the message says what to set.</summary>
public sealed class ConfigurationException(string message) : InvalidOperationException(message);

/// <summary>Turns a configuration error at startup into the one line an operator needs, instead of a stack trace.</summary>
public static class StartupFailure
{
    public static bool IsConfigurationError(Exception error) =>
        error is ConfigurationException or OptionsValidationException
        // Only the app's own process exits quietly: inside a test host the error must reach the test.
        && Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly;

    public static int Report(Exception error)
    {
        var message = error is OptionsValidationException validation ? string.Join(" ", validation.Failures) : error.Message;
        Console.Error.WriteLine($"WorkspaceApp cannot start: {message.ReplaceLineEndings(" ")}");
        return 1;
    }
}
