using WorkspaceApp;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Ops;

// "ops <command>" runs an operator command against the same services and database instead of the web server.
var isOps = args is ["ops", ..];
var builder = WebApplication.CreateBuilder(isOps ? [] : args);
if (isOps)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
}
builder.AddWorkspaceApp();
var app = builder.Build();

if (isOps)
{
    await app.Services.MigrateDatabaseAsync();
    return await app.Services.RunOpsAsync(args[1..], Console.Out, Console.Error);
}

await app.MapWorkspaceAppAsync();
await app.RunAsync();
return 0;
