using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Members;

public class InvitationTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly AppFactory app;

    public InvitationTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected InvitationTests(DatabaseProvider provider) => app = new ServicesAppFactory(provider, s => s.AddSingleton<TimeProvider>(clock));

    [Fact]
    public async Task An_invitation_whose_email_cannot_be_stored_is_not_created()
    {
        var owner = await app.RegisterAsync("owner@example.com", workspaceName: "Acme");
        await app.FailMailStoreAsync(true);
        await Assert.ThrowsAsync<DbUpdateException>(() => app.InviteAsync(owner, "bob@example.com"));
        await app.FailMailStoreAsync(false);

        Assert.False(await app.With(s => s.GetRequiredService<AppDbContext>().Invitations.AnyAsync()));
        Assert.True((await app.InviteAsync(owner, "bob@example.com")).Succeeded); // not "already has a pending invitation"
        Assert.Matches("^[A-Za-z0-9_-]{43}$", await app.TokenFromEmailAsync("bob@example.com"));
    }

    [Fact]
    public async Task An_existing_user_accepts_once_joins_with_the_role_and_the_workspace_becomes_their_choice()
    {
        var owner = await app.RegisterAsync("owner@example.com", workspaceName: "Acme");
        var invitee = await app.RegisterAsync("Bob@Example.com", workspaceName: "Bob's own");
        Assert.True((await app.InviteAsync(owner, " bob@example.COM ", WorkspaceRole.Admin)).Succeeded);
        var token = await app.TokenFromEmailAsync("bob@example.com");
        var mail = app.Mail.To("bob@example.com").Single();
        Assert.Contains("Acme", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("as Admin", mail.TextBody, StringComparison.Ordinal);

        var info = await app.With(s => s.GetRequiredService<InvitationAcceptance>().InspectAsync(token));
        Assert.Equal((InvitationState.Valid, "Acme", WorkspaceRole.Admin), (info.State, info.WorkspaceName, info.Role));
        var accepted = await app.With(s => s.GetRequiredService<InvitationAcceptance>().AcceptAsync(invitee.Principal, token));

        Assert.Equal(owner.WorkspaceId, accepted.Value);
        var chosen = await app.With(s => s.GetRequiredService<WorkspaceService>().FindForUserAsync(invitee.UserId));
        Assert.Equal((owner.WorkspaceId, WorkspaceRole.Admin), (chosen!.Id, chosen.Role));
        var again = await app.With(s => s.GetRequiredService<InvitationAcceptance>().AcceptAsync(invitee.Principal, token));
        Assert.Equal(new InvitationInfo(InvitationState.Accepted).Problem, again.Error);
        Assert.Equal(InvitationState.Accepted, (await app.With(s => s.GetRequiredService<InvitationAcceptance>().InspectAsync(token))).State);
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(2, await db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == owner.WorkspaceId));
        Assert.Contains(await db.AuditEvents.Where(e => e.WorkspaceId == owner.WorkspaceId).Select(e => e.Action).ToListAsync(), a => a == "member.joined");
    }

    [Fact]
    public async Task A_new_user_registers_through_the_link_with_the_invited_email_and_gets_no_workspace_of_their_own()
    {
        var owner = await app.RegisterAsync(workspaceName: "Acme");
        await app.InviteAsync(owner, "new@example.com");
        var token = await app.TokenFromEmailAsync("new@example.com");
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var page = await client.GetStringAsync($"/invitations/{token}/register");
        Assert.Contains("value=\"new@example.com\"", page, StringComparison.Ordinal);
        var response = await StaticForm.PostAsync(client, $"/invitations/{token}/register", "invitation-register", new Dictionary<string, string>
        {
            ["Input.Password"] = TestUser.Password,
            ["Input.ConfirmPassword"] = TestUser.Password,
            ["Input.Email"] = "attacker@example.com", // not a field of the form: ignored
        });

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == "NEW@EXAMPLE.COM");
        Assert.True(user.EmailConfirmed);
        var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == user.Id);
        Assert.Equal((owner.WorkspaceId, WorkspaceRole.Member), (membership.WorkspaceId, membership.Role));
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == "ATTACKER@EXAMPLE.COM"));

        // Single use: the page and a second registration both refuse.
        Assert.Contains("already been used", await client.GetStringAsync($"/invitations/{token}/register"), StringComparison.Ordinal);
        var second = await app.With(s => s.GetRequiredService<InvitationRegistration>().RegisterAsync(token, TestUser.Password));
        Assert.False(second.Succeeded);
        Assert.Equal(2, await db.Users.CountAsync());
    }

    [Fact]
    public async Task A_link_expires_after_the_configured_lifetime()
    {
        var owner = await app.RegisterAsync();
        var invitee = await app.RegisterAsync("late@example.com");
        await app.InviteAsync(owner, "late@example.com");
        var token = await app.TokenFromEmailAsync("late@example.com");

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(InvitationState.Valid, (await app.With(s => s.GetRequiredService<InvitationAcceptance>().InspectAsync(token))).State);
        clock.Advance(TimeSpan.FromSeconds(1));

        var result = await app.With(s => s.GetRequiredService<InvitationAcceptance>().AcceptAsync(invitee.Principal, token));
        Assert.Equal(new InvitationInfo(InvitationState.Expired).Problem, result.Error);
        var list = await app.With(s => s.GetRequiredService<MembersService>().ListAsync(owner.Principal, owner.WorkspaceId));
        Assert.True(Assert.Single(list.Value!.Invitations).IsExpired);
        Assert.Null(await app.With(s => s.GetRequiredService<WorkspaceService>().FindForUserAsync(invitee.UserId, owner.WorkspaceId)));
    }

    [Fact]
    public async Task Resend_kills_the_old_link_and_revoke_kills_the_new_one_and_another_account_changes_nothing()
    {
        var owner = await app.RegisterAsync();
        var invitee = await app.RegisterAsync("carol@example.com");
        var stranger = await app.RegisterAsync("mallory@example.com");
        var invitation = (await app.InviteAsync(owner, "carol@example.com")).Value!;
        var first = await app.TokenFromEmailAsync("carol@example.com");

        Assert.True((await app.With(s => s.GetRequiredService<InvitationService>().ResendAsync(owner.Principal, owner.WorkspaceId, invitation.Id))).Succeeded);
        var second = Assert.Single(await app.TokensFromEmailAsync("carol@example.com", 2), t => t != first);
        Assert.Equal(InvitationState.NotFound, (await app.With(s => s.GetRequiredService<InvitationAcceptance>().InspectAsync(first))).State);

        var wrong = await app.With(s => s.GetRequiredService<InvitationAcceptance>().AcceptAsync(stranger.Principal, second));
        Assert.Equal(MembersMessages.WrongAccount, wrong.Error);
        Assert.Equal(InvitationState.Valid, (await app.With(s => s.GetRequiredService<InvitationAcceptance>().InspectAsync(second))).State);

        Assert.True((await app.With(s => s.GetRequiredService<InvitationService>().RevokeAsync(owner.Principal, owner.WorkspaceId, invitation.Id))).Succeeded);
        var revoked = await app.With(s => s.GetRequiredService<InvitationAcceptance>().AcceptAsync(invitee.Principal, second));
        Assert.Equal(new InvitationInfo(InvitationState.Revoked).Problem, revoked.Error);
        Assert.Null(await app.With(s => s.GetRequiredService<WorkspaceService>().FindForUserAsync(stranger.UserId, owner.WorkspaceId)));
        Assert.Null(await app.With(s => s.GetRequiredService<WorkspaceService>().FindForUserAsync(invitee.UserId, owner.WorkspaceId)));
    }

    [Fact]
    public async Task Only_the_hash_of_the_token_is_stored_and_bad_input_is_refused()
    {
        var owner = await app.RegisterAsync();
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await app.InviteAsync(owner, "dave@example.com");
        var token = await app.TokenFromEmailAsync("dave@example.com");

        await using var scope = app.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Invitations.SingleAsync();
        Assert.Equal(InvitationToken.Hash(token), stored.TokenHash);
        var file = app.Provider == DatabaseProvider.Sqlite ? app.ConnectionString["Data Source=".Length..] : "";
        foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
        {
            await using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(read, System.Text.Encoding.Latin1);
            Assert.DoesNotContain(token, await text.ReadToEndAsync(), StringComparison.Ordinal);
        }

        Assert.Equal("Enter a valid email address, for example jane@example.com.", (await app.InviteAsync(owner, "not-an-email")).Error);
        Assert.Contains("already has a pending invitation", (await app.InviteAsync(owner, "DAVE@example.com")).Error, StringComparison.Ordinal);
        Assert.Contains("already a member", (await app.InviteAsync(owner, member.Email)).Error, StringComparison.Ordinal);
        Assert.Equal(InvitationState.NotFound, (await scope.ServiceProvider.GetRequiredService<InvitationAcceptance>().InspectAsync("../../etc")).State);
    }

    [Fact]
    public async Task Two_tabs_accepting_the_same_link_at_once_join_once()
    {
        var owner = await app.RegisterAsync();
        var invitee = await app.RegisterAsync("twice@example.com");
        await app.InviteAsync(owner, "twice@example.com");
        var token = await app.TokenFromEmailAsync("twice@example.com");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.With(s => s.GetRequiredService<InvitationAcceptance>().AcceptAsync(invitee.Principal, token))));

        Assert.Single(results, r => r.Succeeded);
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == owner.WorkspaceId && m.UserId == invitee.UserId));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.WorkspaceId == owner.WorkspaceId && e.Action == "member.joined"));
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
