using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Tests.Infrastructure;

public static class OpsExtensions
{
    /// <summary>Runs an ops command in the app's own service provider, as `WorkspaceApp ops ...` would.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> OpsAsync(this AppFactory app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await app.Services.RunOpsAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
