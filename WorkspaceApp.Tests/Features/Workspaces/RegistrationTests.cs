using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Workspaces;

public class RegistrationTests : IDisposable
{
    private readonly AppFactory app;

    public RegistrationTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected RegistrationTests(DatabaseProvider provider) => app = new AppFactory(provider);

    [Fact]
    public async Task Registering_creates_a_trial_workspace_with_the_user_as_owner()
    {
        var user = await app.RegisterAsync("owner@example.com", workspaceName: "Acme");

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var workspace = await db.Workspaces.Include(w => w.Members).SingleAsync(w => w.Id == user.WorkspaceId);
        Assert.Equal("Acme", workspace.Name);
        Assert.Equal(WorkspacePlan.Trial, workspace.Plan);
        Assert.Equal(14, (workspace.TrialEndsAtUtc - workspace.CreatedAtUtc).TotalDays, precision: 3);
        var member = Assert.Single(workspace.Members);
        Assert.Equal(user.UserId, member.UserId);
        Assert.Equal(WorkspaceRole.Owner, member.Role);
        Assert.Equal(0, workspace.BalanceMicros);
        Assert.Contains(await db.AuditEvents.Where(e => e.WorkspaceId == workspace.Id).ToListAsync(), e => e.Action == "workspace.created");
    }

    [Fact]
    public async Task A_missing_workspace_name_defaults_from_the_email()
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegistrationService>()
            .RegisterAsync("jane.doe@example.com", TestUser.Password, workspaceName: null);

        Assert.True(result.Succeeded);
        var summary = await scope.ServiceProvider.GetRequiredService<WorkspaceService>().FindForUserAsync(result.User!.Id);
        Assert.Equal("jane.doe's workspace", summary!.Name);
    }

    [Theory]
    [InlineData("weak@example.com", "short1A!", "Acme", "at least 10 characters")]
    [InlineData("weak2@example.com", "alllowercase-letters1", "Acme", "uppercase")]
    [InlineData("blank@example.com", "Correct-Horse-42", "   ", "Workspace name is required.")]
    public async Task Bad_input_is_refused_with_a_clear_message_and_creates_nothing(string email, string password, string workspaceName, string expected)
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegistrationService>().RegisterAsync(email, password, workspaceName);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.OrdinalIgnoreCase));
        await AssertNothingCreatedAsync(email);
    }

    [Fact]
    public async Task An_existing_email_is_refused_and_creates_no_second_workspace()
    {
        await app.RegisterAsync("taken@example.com");

        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RegistrationService>()
            .RegisterAsync("taken@example.com", TestUser.Password, "Second");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("already taken", StringComparison.OrdinalIgnoreCase));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.Users.CountAsync());
        Assert.Equal(1, await db.Workspaces.CountAsync());
    }

    private async Task AssertNothingCreatedAsync(string email)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
        Assert.Equal(0, await db.Workspaces.CountAsync());
        Assert.Equal(0, await db.WorkspaceMembers.CountAsync());
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
