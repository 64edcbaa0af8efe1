using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Members;

public sealed class MembersOpsTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Add_list_role_and_remove_through_the_service_rules()
    {
        var owner = await app.RegisterAsync("boss@example.com", workspaceName: "Acme");
        await app.RegisterAsync("old@example.com");

        var added = await app.OpsAsync("members", "add", "--workspace", "Acme", "--email", "new@example.com", "--role", "admin");
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("user created: new@example.com", added.Output, StringComparison.Ordinal);
        Assert.Matches("password: .{10,}", added.Output);
        Assert.Equal(0, (await app.OpsAsync("members", "add", "--workspace", owner.WorkspaceId.ToString(), "--email", "old@example.com")).ExitCode);
        Assert.Equal(0, (await app.OpsAsync("members", "role", "--workspace", "Acme", "--email", "OLD@example.com", "--role", "owner")).ExitCode);

        var list = await app.OpsAsync("members", "list", "--workspace", "Acme");
        Assert.Equal(["boss@example.com\towner", "old@example.com\towner", "new@example.com\tadmin"],
            list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join('\t', l.Split('\t').Take(2))));

        Assert.Equal(0, (await app.OpsAsync("members", "remove", "--workspace", "Acme", "--email", "boss@example.com")).ExitCode);
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == owner.WorkspaceId && m.UserId == owner.UserId));
        var audit = await db.AuditEvents.Where(e => e.WorkspaceId == owner.WorkspaceId).Select(e => e.Action + " by " + e.ActorName).ToListAsync();
        Assert.Contains("member.added by ops", audit);
        Assert.Contains("member.role-changed by ops", audit);
        Assert.Contains("member.removed by ops", audit);
    }

    [Fact]
    public async Task Refusals_exit_with_1_and_say_why()
    {
        var owner = await app.RegisterAsync("solo@example.com", workspaceName: "Solo");

        var lastOwner = await app.OpsAsync("members", "remove", "--workspace", "Solo", "--email", "solo@example.com");
        var demote = await app.OpsAsync("members", "role", "--workspace", "Solo", "--email", "solo@example.com", "--role", "member");
        var badRole = await app.OpsAsync("members", "add", "--workspace", "Solo", "--email", "x@example.com", "--role", "king");
        var unknown = await app.OpsAsync("members", "remove", "--workspace", "Solo", "--email", "ghost@example.com");
        var twice = await app.OpsAsync("members", "add", "--workspace", "Solo", "--email", "solo@example.com");

        Assert.Equal((1, 1, 1, 1, 1), (lastOwner.ExitCode, demote.ExitCode, badRole.ExitCode, unknown.ExitCode, twice.ExitCode));
        Assert.Contains(MembersMessages.LastOwner, lastOwner.Error, StringComparison.Ordinal);
        Assert.Contains(MembersMessages.LastOwner, demote.Error, StringComparison.Ordinal);
        Assert.Contains("Unknown role 'king'", badRole.Error, StringComparison.Ordinal);
        Assert.Contains("No account with the email ghost@example.com", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("already a member", twice.Error, StringComparison.Ordinal);
        Assert.Equal(WorkspaceRole.Owner, (await app.With(s => s.GetRequiredService<WorkspaceService>().FindForUserAsync(owner.UserId)))!.Role);
    }

    public void Dispose() => app.Dispose();
}
