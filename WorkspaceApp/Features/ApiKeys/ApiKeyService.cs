using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.ApiKeys;

/// <summary>
/// Generates, rotates, revokes and lists a workspace's API keys. Every method checks the caller's role,
/// and changes check the plan and the key limit, here on the server, whatever the UI shows.
/// </summary>
public sealed partial class ApiKeyService(
    IDbContextFactory<AppDbContext> dbFactory,
    WorkspaceAccess access,
    WorkspaceChangeNotifier notifier,
    IOptions<ApiKeyOptions> options,
    TimeProvider clock)
{
    public const string NotAllowed = "Only workspace owners and admins can manage API keys.";
    public const string NeedsPro = "API access needs the Pro plan. Upgrade to Pro to generate API keys.";

    public int MaxActiveKeys => options.Value.MaxActiveKeysPerWorkspace;

    public async Task<ApiKeyResult<GeneratedApiKey>> GenerateAsync(
        ClaimsPrincipal user, int workspaceId, string? name, ApiKeyLimits? limits = null, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageApiKeys, NotAllowed) is { } refused) return ApiKeyResult.Fail<GeneratedApiKey>(refused);
        if (ApiKeyNames.Validate(name) is { } nameError) return ApiKeyResult.Fail<GeneratedApiKey>(nameError);
        limits ??= ApiKeyLimits.None;
        if (KeyLimitRules.Validate(limits, clock.GetUtcNow().UtcDateTime) is { } limitError) return ApiKeyResult.Fail<GeneratedApiKey>(limitError);
        name = name!.Trim();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Concurrent generations queue here, so the count and name checks hold.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        if (await CheckPlanAsync(db, workspaceId, ct) is { } planError) return ApiKeyResult.Fail<GeneratedApiKey>(planError);
        var active = await db.ApiKeys.CountAsync(k => k.WorkspaceId == workspaceId && k.Status == ApiKeyStatus.Active, ct);
        if (active >= MaxActiveKeys)
        {
            return ApiKeyResult.Fail<GeneratedApiKey>($"This workspace has reached its limit of {MaxActiveKeys} active API keys. Revoke a key you no longer use first.");
        }
        if (await IsNameTakenAsync(db, workspaceId, name, ct)) return ApiKeyResult.Fail<GeneratedApiKey>(ApiKeyNames.Taken(name));

        var actor = Actor.From(user);
        var (key, plaintext) = NewKey(workspaceId, name, actor);
        Apply(key, limits);
        db.ApiKeys.Add(key);
        db.Record(workspaceId, actor, "key.generated", $"API key \"{name}\" generated ({key.Hint})" + (Described(limits) is { Length: > 0 } set ? ", " + set : ""));
        if (!await TrySaveAsync(db, ct)) return ApiKeyResult.Fail<GeneratedApiKey>(ApiKeyNames.Taken(name));
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return Revealed(key, plaintext);
    }

    public Task<ApiKeyResult<GeneratedApiKey>> RotateAsync(ClaimsPrincipal user, int workspaceId, int keyId, CancellationToken ct = default) =>
        RotateAsync(user, workspaceId, keyId, TimeSpan.Zero, ct);

    /// <summary>
    /// Creates the key's replacement with the same name (and limits), in one transaction. The old key stops at once, or
    /// after <paramref name="grace"/> (one of <see cref="KeyLimitRules.RotationGraces"/>): its RevokedAtUtc is then ahead.
    /// </summary>
    public async Task<ApiKeyResult<GeneratedApiKey>> RotateAsync(ClaimsPrincipal user, int workspaceId, int keyId, TimeSpan grace, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageApiKeys, NotAllowed) is { } refused) return ApiKeyResult.Fail<GeneratedApiKey>(refused);
        if (KeyLimitRules.ValidateGrace(grace) is { } graceError) return ApiKeyResult.Fail<GeneratedApiKey>(graceError);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        if (await CheckPlanAsync(db, workspaceId, ct) is { } planError) return ApiKeyResult.Fail<GeneratedApiKey>(planError);
        var old = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct);
        if (ActiveKeyError(old) is { } keyError) return ApiKeyResult.Fail<GeneratedApiKey>(keyError);

        var actor = Actor.From(user);
        Disable(old!, ApiKeyStatus.Rotated, actor, grace);
        // Saved first: the old key must leave the "unique among active names" index before its replacement joins.
        await db.SaveChangesAsync(ct);
        var (key, plaintext) = NewKey(workspaceId, old!.Name, actor);
        Apply(key, Inherited(old));
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        old.ReplacedByKeyId = key.Id;
        db.Record(workspaceId, actor, "key.rotated", $"API key \"{key.Name}\" rotated: {old.Hint} replaced by {key.Hint}" +
            (grace > TimeSpan.Zero ? $", the old key works until {old.RevokedAtUtc:u}" : ""));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return Revealed(key, plaintext);
    }

    /// <summary>Disables the key at once (also a rotated key in its grace period). Allowed on any plan: stopping a leaked key must always work.</summary>
    public async Task<ApiKeyResult<ApiKeyRow>> RevokeAsync(ClaimsPrincipal user, int workspaceId, int keyId, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageApiKeys, NotAllowed) is { } refused) return ApiKeyResult.Fail<ApiKeyRow>(refused);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Inside the transaction, a concurrent rotate or revoke of the same key cannot slip between check and update.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, ct);
        if (!InGrace(key) && ActiveKeyError(key) is { } keyError) return ApiKeyResult.Fail<ApiKeyRow>(keyError);

        var actor = Actor.From(user);
        Disable(key!, ApiKeyStatus.Revoked, actor, TimeSpan.Zero);
        db.Record(workspaceId, actor, "key.revoked", $"API key \"{key!.Name}\" revoked ({key.Hint})");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return ApiKeyResult.Ok(ToRow(key, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Active keys first (newest first), then revoked and rotated keys as history.</summary>
    public async Task<ApiKeyResult<IReadOnlyList<ApiKeyRow>>> ListAsync(ClaimsPrincipal user, int workspaceId, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View))
        {
            return ApiKeyResult.Fail<IReadOnlyList<ApiKeyRow>>("You are not a member of this workspace.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiKeys.AsNoTracking()
            .Where(k => k.WorkspaceId == workspaceId)
            .OrderBy(k => k.Status == ApiKeyStatus.Active ? 0 : 1).ThenByDescending(k => k.Id)
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return ApiKeyResult.Ok<IReadOnlyList<ApiKeyRow>>(rows.ConvertAll(k => ToRow(k, now)));
    }

    private (ApiKey Key, string Plaintext) NewKey(int workspaceId, string name, Actor actor)
    {
        var plaintext = ApiKeyFormat.Generate();
        var key = new ApiKey
        {
            WorkspaceId = workspaceId,
            Name = name,
            KeyHash = ApiKeyFormat.Hash(plaintext),
            Hint = ApiKeyFormat.Hint(plaintext),
            Status = ApiKeyStatus.Active,
            CreatedByUserId = actor.UserId,
            CreatedByName = actor.Name,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        return (key, plaintext);
    }

    private void Disable(ApiKey key, ApiKeyStatus status, Actor actor, TimeSpan grace)
    {
        key.Status = status;
        key.RevokedAtUtc = clock.GetUtcNow().UtcDateTime + grace;
        key.RevokedByName = actor.Name;
    }

    private static ApiKeyResult<GeneratedApiKey> Revealed(ApiKey key, string plaintext) =>
        ApiKeyResult.Ok(new GeneratedApiKey(key.Id, key.Name, key.Hint, plaintext));

    private static async Task<string?> CheckPlanAsync(AppDbContext db, int workspaceId, CancellationToken ct)
    {
        var plan = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (WorkspacePlan?)w.Plan).SingleOrDefaultAsync(ct);
        return plan switch
        {
            null => "This workspace does not exist.",
            WorkspacePlan.Pro => null,
            _ => NeedsPro,
        };
    }

    private static string? ActiveKeyError(ApiKey? key) => key switch
    {
        null => "This API key does not exist in this workspace.",
        { Status: ApiKeyStatus.Active } => null,
        _ => $"The API key \"{key.Name}\" is already {key.Status.ToString().ToLowerInvariant()}.",
    };

    private static Task<bool> IsNameTakenAsync(AppDbContext db, int workspaceId, string name, CancellationToken ct) =>
        db.ApiKeys.AnyAsync(k => k.WorkspaceId == workspaceId && k.Status == ApiKeyStatus.Active && k.Name == name, ct);

    /// <summary>False when the unique index on active names refused the row (a concurrent generation won).</summary>
    private static async Task<bool> TrySaveAsync(AppDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return false;
        }
    }

}
