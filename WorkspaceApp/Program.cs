using WorkspaceApp;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Hosting;
using WorkspaceApp.Features.Ops;

// "ops <command>" runs an operator command against the same services and database instead of the web server.
var isOps = args is ["ops", ..];
var builder = WebApplication.CreateBuilder(isOps ? [] : args);
if (isOps)
{
    // Standard output carries only the command's facts; warnings and errors go to standard error.
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Warning",
    });
    builder.Logging.ClearProviders();
    builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
}
try
{
    builder.AddWorkspaceApp();
    var app = builder.Build();

    if (isOps)
    {
        await app.Services.MigrateDatabaseAsync();
        return await WorkspaceApp.Features.Workspaces.PostgresChangeRelay.RelayChangesOfAsync(app.Services, () => app.Services.RunOpsAsync(args[1..], Console.Out, Console.Error));
    }

    await app.MapWorkspaceAppAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception error) when (StartupFailure.IsConfigurationError(error))
{
    // A missing or wrong setting: one line saying what to set, exit code 1, nothing started.
    return StartupFailure.Report(error);
}
