using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>Limits, expiry and grace periods are validated and authorized in the service; bad input changes nothing.</summary>
public sealed class KeyLimitServiceTests : IDisposable
{
    private readonly AppFactory app = new();

    public static TheoryData<ApiKeyLimitPeriod, long?, int?, string> BadLimits => new()
    {
        { ApiKeyLimitPeriod.Day, null, null, "The spend limit must be more than 0 credits." },
        { ApiKeyLimitPeriod.Month, 0, null, "The spend limit must be more than 0 credits." },
        { ApiKeyLimitPeriod.Total, -5, null, "The spend limit must be more than 0 credits." },
        { ApiKeyLimitPeriod.Day, 1_000_001 * Money.MicrosPerCredit, null, "The spend limit can be at most 1,000,000 credits." },
        { ApiKeyLimitPeriod.None, 5, null, "Choose per day, per month or in total for the spend limit." },
        { (ApiKeyLimitPeriod)9, 5, null, "Choose per day, per month or in total for the spend limit." },
        { ApiKeyLimitPeriod.None, null, -1, "The expiry date must be in the future." },
        { ApiKeyLimitPeriod.None, null, 4 * 366, "The expiry date can be at most 3 years ahead." },
    };

    [Theory]
    [MemberData(nameof(BadLimits))]
    public async Task Bad_limits_are_refused_with_a_clear_error_and_change_nothing(ApiKeyLimitPeriod period, long? limit, int? expiresInDays, string error)
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var (keyId, _) = await KeyLimitData.GenerateAsync(app, owner, new ApiKeyLimits(ApiKeyLimitPeriod.Day, 7_000_000));
        var limits = new ApiKeyLimits(period, limit, expiresInDays is { } days ? DateTime.UtcNow.AddDays(days) : null);
        await using var scope = app.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();

        Assert.Equal(error, (await keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Another", limits)).Error);
        Assert.Equal(error, (await keys.UpdateLimitsAsync(owner.Principal, owner.WorkspaceId, keyId, limits)).Error);

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.ApiKeys.Where(k => k.WorkspaceId == owner.WorkspaceId).ToListAsync();
        var only = Assert.Single(stored);
        Assert.Equal((ApiKeyLimitPeriod.Day, 7_000_000L, (DateTime?)null), (only.LimitPeriod, only.LimitMicros!.Value, only.ExpiresAtUtc));
    }

    [Fact]
    public async Task Only_owners_and_admins_change_limits_and_the_audit_log_records_it()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var (keyId, _) = await KeyLimitData.GenerateAsync(app, owner, ApiKeyLimits.None);
        var limits = new ApiKeyLimits(ApiKeyLimitPeriod.Month, 25_000_000, DateTime.UtcNow.AddDays(30));
        await using var scope = app.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();

        Assert.Equal(ApiKeyService.NotAllowed, (await keys.UpdateLimitsAsync(member.Principal, owner.WorkspaceId, keyId, limits)).Error);
        Assert.Equal(ApiKeyService.NotAllowed, (await keys.GenerateAsync(member.Principal, owner.WorkspaceId, "Mine", limits)).Error);
        var updated = await keys.UpdateLimitsAsync(admin.Principal, owner.WorkspaceId, keyId, limits);
        Assert.True(updated.Succeeded, updated.Error);
        Assert.Equal(limits, updated.Value!.Limits);

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var entry = await db.AuditEvents.Where(e => e.WorkspaceId == owner.WorkspaceId && e.Action == "key.limits").SingleAsync();
        Assert.Contains("spend limit 25.00 credits per month, expires", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_accepts_only_the_offered_grace_periods_and_the_replacement_keeps_the_limits()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var limits = new ApiKeyLimits(ApiKeyLimitPeriod.Day, 3_000_000);
        var (keyId, _) = await KeyLimitData.GenerateAsync(app, owner, limits);
        await using var scope = app.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();

        var refused = await keys.RotateAsync(owner.Principal, owner.WorkspaceId, keyId, TimeSpan.FromMinutes(5));
        Assert.Equal("Choose a grace period: immediately, 1 hour, 24 hours or 7 days.", refused.Error);
        var rotated = await keys.RotateAsync(owner.Principal, owner.WorkspaceId, keyId, TimeSpan.FromHours(24));
        Assert.True(rotated.Succeeded, rotated.Error);

        var rows = (await keys.ListAsync(owner.Principal, owner.WorkspaceId)).Value!;
        var old = rows.Single(r => r.Id == keyId);
        Assert.True(old.InGrace);
        Assert.Equal(ApiKeyStatus.Rotated, old.Status);
        Assert.Equal(limits, rows.Single(r => r.Id == rotated.Value!.Id).Limits);
    }

    public void Dispose() => app.Dispose();
}
