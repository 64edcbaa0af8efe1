using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>Spend limits and expiry of keys; the counters themselves are the credit meter's (Metering/KeyLimitSql.cs).</summary>
public sealed partial class ApiKeyService
{
    /// <summary>Replaces an active key's limit and expiry. Spend so far counts against the new limit at once.</summary>
    public async Task<ApiKeyResult<ApiKeyRow>> UpdateLimitsAsync(ClaimsPrincipal user, int workspaceId, int keyId, ApiKeyLimits limits, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageApiKeys, NotAllowed) is { } refused) return ApiKeyResult.Fail<ApiKeyRow>(refused);
        var now = clock.GetUtcNow().UtcDateTime;
        if (KeyLimitRules.Validate(limits, now) is { } limitError) return ApiKeyResult.Fail<ApiKeyRow>(limitError);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct);
        if (ActiveKeyError(key) is { } keyError) return ApiKeyResult.Fail<ApiKeyRow>(keyError);

        // Only the settings: the meter's counters in the same row are updated by plain SQL in its own transactions,
        // and EF writes just the changed columns, so none of its counting is overwritten.
        Apply(key!, limits);
        var actor = Actor.From(user);
        db.Record(workspaceId, actor, "key.limits", $"API key \"{key!.Name}\" ({key.Hint}) limits set: {(Described(limits) is { Length: > 0 } set ? set : "none")}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return ApiKeyResult.Ok(ToRow(key, now));
    }

    private void Apply(ApiKey key, ApiKeyLimits limits)
    {
        var expiryChanged = key.ExpiresAtUtc != limits.ExpiresAtUtc;
        key.LimitPeriod = limits.Period;
        key.LimitMicros = limits.LimitMicros;
        key.ExpiresAtUtc = limits.ExpiresAtUtc;
        if (expiryChanged) key.ExpiryWarnedAtUtc = null; // a new expiry date gets its own warning
    }

    /// <summary>What a replacement inherits: the limit, and the expiry unless it has passed.</summary>
    private ApiKeyLimits Inherited(ApiKey old) =>
        new(old.LimitPeriod, old.LimitMicros, old.ExpiresAtUtc > clock.GetUtcNow().UtcDateTime ? old.ExpiresAtUtc : null);

    private bool InGrace(ApiKey? key) => key is not null && ToRow(key, clock.GetUtcNow().UtcDateTime).InGrace;

    /// <summary>"spend limit 5.00 credits per day, expires 2026-12-01 00:00:00Z", or "" for none: for the audit log.</summary>
    private static string Described(ApiKeyLimits limits)
    {
        var parts = new List<string>();
        if (limits.LimitMicros is { } limit) parts.Add($"spend limit {Money.Format(limit)} credits {KeyLimitRules.Describe(limits.Period)}");
        if (limits.ExpiresAtUtc is { } expires) parts.Add($"expires {expires.ToString("u", CultureInfo.InvariantCulture)}");
        return string.Join(", ", parts);
    }

    private static ApiKeyRow ToRow(ApiKey k, DateTime now) =>
        new(k.Id, k.Name, k.Hint, k.Status, k.CreatedByName, k.CreatedAtUtc, k.LastUsedAtUtc, k.RevokedAtUtc, k.RevokedByName, k.ReplacedByKeyId,
            new ApiKeyLimits(k.LimitPeriod, k.LimitMicros, k.ExpiresAtUtc),
            k.SpentNow(now), k.Status == ApiKeyStatus.Rotated && k.RevokedAtUtc > now, k.ExpiresAtUtc <= now);
}
