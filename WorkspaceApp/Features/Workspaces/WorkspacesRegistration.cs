using WorkspaceApp.Features.Account;
using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Features.Workspaces;

public static class WorkspacesRegistration
{
    public static void AddWorkspaces(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<WorkspaceOptions>(builder.Configuration.GetSection(WorkspaceOptions.Section));
        builder.Services.AddAuthorization(options => options.AddWorkspacePolicies());
        builder.Services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, WorkspaceRoleHandler>();
        builder.Services.AddTwoFactorRequirement(); // part of the ManageBilling and ManageApiKeys policies
        builder.Services.AddSingleton<WorkspaceChangeNotifier>();
        builder.Services.AddHostedService<PostgresChangeRelay>();
        builder.Services.AddScoped<WorkspaceAccess>();
        builder.Services.AddScoped<WorkspaceService>();
        builder.Services.AddScoped<RegistrationService>();
        builder.Services.AddScoped<CurrentWorkspace>();
        builder.Services.AddScoped<UserWorkspaces>();
        builder.Services.AddOpsCommand<CreateWorkspaceCommand>();
        builder.Services.AddOpsCommand<ListWorkspacesCommand>();
        builder.Services.AddOpsCommand<SetPlanCommand>();
        builder.AddAccountRateLimits();
    }
}
