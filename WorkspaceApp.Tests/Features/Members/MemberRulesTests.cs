using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;
using static WorkspaceApp.Features.Members.MembersMessages;

namespace WorkspaceApp.Tests.Features.Members;

public class MemberRulesTests : IDisposable
{
    private readonly AppFactory app;

    public MemberRulesTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected MemberRulesTests(DatabaseProvider provider) => app = new AppFactory(provider);

    [Fact]
    public async Task A_member_is_refused_by_every_managing_method_and_nothing_changes()
    {
        var owner = await app.RegisterAsync(workspaceName: "Acme");
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var invitation = (await app.InviteAsync(owner, "pending@example.com")).Value!;
        var before = await SnapshotAsync(owner.WorkspaceId);
        await using var scope = app.CreateScope();
        var members = scope.ServiceProvider.GetRequiredService<MembersService>();
        var invitations = scope.ServiceProvider.GetRequiredService<InvitationService>();
        var workspaces = scope.ServiceProvider.GetRequiredService<UserWorkspaces>();
        var p = member.Principal;
        var ws = owner.WorkspaceId;

        string?[] errors =
        [
            (await invitations.InviteAsync(p, ws, "friend@example.com", WorkspaceRole.Member)).Error,
            (await invitations.ResendAsync(p, ws, invitation.Id)).Error,
            (await invitations.RevokeAsync(p, ws, invitation.Id)).Error,
            (await members.ChangeRoleAsync(p, ws, admin.UserId, WorkspaceRole.Member)).Error,
            (await members.ChangeRoleAsync(p, ws, member.UserId, WorkspaceRole.Admin)).Error,
            (await members.RemoveAsync(p, ws, admin.UserId)).Error,
            (await members.TransferOwnershipAsync(p, ws, member.UserId)).Error,
            (await members.AddAsync(p, ws, admin.UserId, WorkspaceRole.Member)).Error,
        ];

        Assert.All(errors, e => Assert.Equal(NotAllowed, e));
        Assert.Equal(UserWorkspaces.NotAllowedToRename, (await workspaces.RenameAsync(p, ws, "Mine now")).Error);
        Assert.Equal(before, await SnapshotAsync(ws));
        Assert.True((await members.ListAsync(p, ws)).Succeeded); // members see the list, read-only
        await app.Mail.WaitForAsync("pending@example.com"); // delivery is asynchronous: wait for the one invitation, then count
        Assert.Single(app.Mail.To("pending@example.com"));
    }

    [Fact]
    public async Task An_admin_manages_members_and_admins_but_never_owners()
    {
        var owner = await app.RegisterAsync();
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await using var scope = app.CreateScope();
        var members = scope.ServiceProvider.GetRequiredService<MembersService>();
        var ws = owner.WorkspaceId;

        Assert.Equal(OnlyOwner, (await app.InviteAsync(admin, "boss@example.com", WorkspaceRole.Owner)).Error);
        Assert.Equal(OnlyOwner, (await members.ChangeRoleAsync(admin.Principal, ws, member.UserId, WorkspaceRole.Owner)).Error);
        Assert.Equal(OnlyOwner, (await members.ChangeRoleAsync(admin.Principal, ws, owner.UserId, WorkspaceRole.Admin)).Error);
        Assert.Equal(OnlyOwner, (await members.RemoveAsync(admin.Principal, ws, owner.UserId)).Error);
        Assert.Equal(OnlyOwner, (await members.TransferOwnershipAsync(admin.Principal, ws, member.UserId)).Error);

        Assert.True((await members.ChangeRoleAsync(admin.Principal, ws, member.UserId, WorkspaceRole.Admin)).Succeeded);
        Assert.True((await app.InviteAsync(admin, "helper@example.com")).Succeeded);
        Assert.Equal(WorkspaceRole.Admin, (await RoleAsync(ws, member.UserId)));
        Assert.Equal(WorkspaceRole.Owner, (await RoleAsync(ws, owner.UserId)));
    }

    [Fact]
    public async Task The_last_owner_can_neither_leave_nor_be_demoted_nor_removed_until_there_is_another()
    {
        var owner = await app.RegisterAsync();
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        await using var scope = app.CreateScope();
        var members = scope.ServiceProvider.GetRequiredService<MembersService>();
        var ws = owner.WorkspaceId;

        Assert.Contains("last owner", (await members.LeaveAsync(owner.Principal, ws)).Error, StringComparison.Ordinal);
        Assert.Equal(LastOwner, (await members.ChangeRoleAsync(owner.Principal, ws, owner.UserId, WorkspaceRole.Admin)).Error);
        Assert.Equal(LastOwner, (await members.RemoveAsync(owner.Principal, ws, owner.UserId)).Error);
        Assert.Equal(WorkspaceRole.Owner, await RoleAsync(ws, owner.UserId));

        Assert.True((await members.TransferOwnershipAsync(owner.Principal, ws, admin.UserId)).Succeeded);
        Assert.Equal((WorkspaceRole.Admin, WorkspaceRole.Owner), (await RoleAsync(ws, owner.UserId), await RoleAsync(ws, admin.UserId)));
        Assert.Contains("last owner", (await members.LeaveAsync(admin.Principal, ws)).Error, StringComparison.Ordinal);
        Assert.True((await members.LeaveAsync(owner.Principal, ws)).Succeeded);
        Assert.Null(await RoleAsync(ws, owner.UserId));
        var actions = await app.With(s => s.GetRequiredService<AppDbContext>().AuditEvents.Where(e => e.WorkspaceId == ws).Select(e => e.Action).ToListAsync());
        Assert.Contains("ownership.transferred", actions);
        Assert.Contains("member.left", actions);
    }

    [Fact]
    public async Task A_removed_member_is_refused_at_once_and_falls_back_to_their_own_workspace()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Acme");
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        await using var scope = app.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserWorkspaces>().SwitchAsync(admin.Principal, owner.WorkspaceId)).Succeeded);
        Assert.True((await keys.GenerateAsync(admin.Principal, owner.WorkspaceId, "Before")).Succeeded);

        Assert.True((await scope.ServiceProvider.GetRequiredService<MembersService>().RemoveAsync(owner.Principal, owner.WorkspaceId, admin.UserId)).Succeeded);

        Assert.Equal(ApiKeyService.NotAllowed, (await keys.GenerateAsync(admin.Principal, owner.WorkspaceId, "After")).Error);
        Assert.False((await keys.ListAsync(admin.Principal, owner.WorkspaceId)).Succeeded);
        Assert.Equal(BillingService.NotAllowed, (await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(admin.Principal, owner.WorkspaceId, 10, "http://localhost/")).Error);
        Assert.False((await scope.ServiceProvider.GetRequiredService<MembersService>().ListAsync(admin.Principal, owner.WorkspaceId)).Succeeded);
        var fallback = await scope.ServiceProvider.GetRequiredService<WorkspaceService>().FindForUserAsync(admin.UserId);
        Assert.NotNull(fallback);
        Assert.NotEqual(owner.WorkspaceId, fallback.Id);
        Assert.Equal(WorkspaceRole.Owner, fallback.Role); // their own workspace from registering
    }

    [Fact]
    public async Task Two_owners_leaving_at_once_leave_one_owner_behind()
    {
        var owner = await app.RegisterAsync();
        var second = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Owner);

        var results = await Task.WhenAll(new[] { owner, second }.Select(u => app.With(s => s.GetRequiredService<MembersService>().LeaveAsync(u.Principal, owner.WorkspaceId))));

        Assert.Single(results, r => r.Succeeded);
        var owners = await app.With(s => s.GetRequiredService<AppDbContext>().WorkspaceMembers.CountAsync(m => m.WorkspaceId == owner.WorkspaceId && m.Role == WorkspaceRole.Owner));
        Assert.Equal(1, owners);
    }

    [Fact]
    public void An_invitation_lifetime_out_of_range_stops_the_app_naming_the_setting()
    {
        using var bad = new AppFactory().With("Members:InvitationLifetimeDays", "0");
        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
        Assert.Contains("Members:InvitationLifetimeDays", error.ToString(), StringComparison.Ordinal);
    }

    private Task<WorkspaceRole?> RoleAsync(int workspaceId, string userId) => app.With(s =>
        s.GetRequiredService<AppDbContext>().WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId && m.UserId == userId).Select(m => (WorkspaceRole?)m.Role).SingleOrDefaultAsync());

    /// <summary>Roles, pending invitations (with their token hashes), the name and the audit log: everything a refusal must leave alone.</summary>
    private Task<string> SnapshotAsync(int workspaceId) => app.With(async s =>
    {
        var db = s.GetRequiredService<AppDbContext>();
        var roles = await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.UserId).Select(m => m.UserId + m.Role).ToListAsync();
        var invitations = await db.Invitations.Where(i => i.WorkspaceId == workspaceId).Select(i => new { i.Id, i.TokenHash, i.RevokedAtUtc, i.ExpiresAtUtc }).ToListAsync();
        var name = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync();
        var audit = await db.AuditEvents.CountAsync(e => e.WorkspaceId == workspaceId);
        return string.Join("|", roles) + string.Join("|", invitations.Select(i => $"{i.Id}{Convert.ToHexString(i.TokenHash)}{i.RevokedAtUtc}{i.ExpiresAtUtc:O}")) + name + audit;
    });

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
