using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>Seven days before a key expires, its workspace's owners and admins get one email, from the background service.</summary>
public sealed class KeyExpiryWarningTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServicesAppFactory app;

    public KeyExpiryWarningTests() => app = new ServicesAppFactory(DatabaseProvider.Sqlite, services => services.AddSingleton<TimeProvider>(clock));

    [Fact]
    public async Task Owners_and_admins_get_one_email_seven_days_before_a_key_expires()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var now = clock.GetUtcNow().UtcDateTime;
        var (soonId, _) = await KeyLimitData.GenerateAsync(app, owner, new ApiKeyLimits(ExpiresAtUtc: now.AddDays(8)), "Production");
        var (laterId, _) = await KeyLimitData.GenerateAsync(app, owner, new ApiKeyLimits(ExpiresAtUtc: now.AddDays(30)), "Staging");
        var (revokedId, _) = await KeyLimitData.GenerateAsync(app, owner, new ApiKeyLimits(ExpiresAtUtc: now.AddDays(3)), "Old");
        await using (var scope = app.CreateScope())
        {
            var revoked = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(owner.Principal, owner.WorkspaceId, revokedId);
            Assert.True(revoked.Succeeded, revoked.Error);
        }

        // A day later "Production" is 7 days from expiry: the service's next pass (every 10 minutes) warns about it.
        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.WaitAsync(async () =>
        {
            clock.Advance(KeyExpiryWarnings.Interval);
            return await WarnedAsync(soonId);
        }, TimeSpan.FromSeconds(20), "the expiry warning was sent");

        var toOwner = await app.Mail.WaitForAsync(owner.Email);
        var toAdmin = await app.Mail.WaitForAsync(admin.Email);
        Assert.Equal("API key \"Production\" expires on 9 June 2026", toOwner.Subject);
        Assert.Contains("expires on 9 June 2026, 12:00 UTC", toOwner.TextBody, StringComparison.Ordinal);
        Assert.EndsWith("/settings/api-keys", E2E.Infrastructure.MailPickup.FirstLink(toOwner), StringComparison.Ordinal);
        Assert.Equal(toOwner.Subject, toAdmin.Subject);

        // Later passes send nothing more, to anyone; the other keys were not due (or no longer work).
        Assert.Equal(0, await app.Services.GetRequiredService<KeyExpiryWarnings>().WarnAsync());
        Assert.Equal(0, await app.Services.GetRequiredService<KeyExpiryWarnings>().WarnAsync());
        Assert.Single(app.Mail.To(owner.Email));
        Assert.Single(app.Mail.To(admin.Email));
        Assert.Empty(app.Mail.To(member.Email));
        Assert.False(await WarnedAsync(laterId));
        Assert.False(await WarnedAsync(revokedId));
    }

    [Fact]
    public async Task A_failing_pass_is_logged_and_the_next_pass_sends_the_warning()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var (keyId, _) = await KeyLimitData.GenerateAsync(app, owner, new ApiKeyLimits(ExpiresAtUtc: clock.GetUtcNow().UtcDateTime.AddDays(8)));
        await using (var scope = app.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER fault BEFORE UPDATE OF \"ExpiryWarnedAtUtc\" ON \"ApiKeys\" BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
        }

        clock.Advance(TimeSpan.FromDays(1));
        await Eventually.WaitAsync(() =>
        {
            clock.Advance(KeyExpiryWarnings.Interval);
            return Task.FromResult(app.Logs.Lines.Any(l => l.Contains("Key expiry warnings failed", StringComparison.Ordinal)));
        }, TimeSpan.FromSeconds(20), "a failing pass was logged");
        Assert.Empty(app.Mail.To(owner.Email));

        await using (var scope = app.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync("DROP TRIGGER fault;");
        }
        await Eventually.WaitAsync(async () =>
        {
            clock.Advance(KeyExpiryWarnings.Interval);
            return await WarnedAsync(keyId);
        }, TimeSpan.FromSeconds(20), "a later pass sent the warning");
        await app.Mail.WaitForAsync(owner.Email);
    }

    private async Task<bool> WarnedAsync(int keyId)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.AnyAsync(k => k.Id == keyId && k.ExpiryWarnedAtUtc != null);
    }

    public void Dispose() => app.Dispose();
}
