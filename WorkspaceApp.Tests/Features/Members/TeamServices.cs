using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkspaceApp.Features.Email;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Members;

public static class TeamServices
{
    /// <summary>The members feature and the email it sends, for bunit: links are built from the factory's server address.</summary>
    public static void AddTeam(this HostApplicationBuilder host, AppFactory app)
    {
        host.Configuration["Email:PickupDirectory"] = app.Mail.Directory;
        host.Services.AddSingleton(app.Services.GetRequiredService<IServer>());
        // The outbox stores bodies encrypted with the app's keys (its delivery may run in either host).
        host.Services.AddSingleton(app.Services.GetRequiredService<IDataProtectionProvider>());
        host.AddEmail();
        host.AddMembers();
    }
}
