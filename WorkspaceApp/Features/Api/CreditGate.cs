using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Api;

/// <summary>Explains a refused hold: never bought credits (api_credits_required) or not enough left (insufficient_credits).</summary>
public sealed class CreditGate(IDbContextFactory<AppDbContext> dbFactory, MeterWriter meter)
{
    // A prompt up to this size is counted about as fast as the balance is read: the hold refuses it just as well.
    private const long CheapToCountChars = 4096;

    /// <summary>
    /// The refusal when the credits not yet held cannot cover even <paramref name="minimumCostMicros"/>, else null.
    /// Runs before the prompt is tokenized, so a workspace without credits costs one indexed read, not a count; skipped
    /// for prompts of at most <see cref="CheapToCountChars"/> characters, so the common small request pays no extra read.
    /// </summary>
    public async Task<IResult?> RefuseUnaffordableAsync(UsageEntry usage, long minimumCostMicros, long promptChars, CancellationToken ct)
    {
        if (promptChars <= CheapToCountChars) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var free = await db.Workspaces.Where(w => w.Id == usage.WorkspaceId).Select(w => w.BalanceMicros - w.HeldMicros).FirstAsync(ct);
        return free > 0 && free >= minimumCostMicros ? null : await RefuseAsync(usage);
    }

    /// <summary>The key's own spend limit refused the hold: 402 key_limit_exceeded, the workspace's balance untouched.</summary>
    public async Task<IResult> RefuseKeyLimitAsync(UsageEntry usage)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var key = await db.ApiKeys.Where(k => k.Id == usage.ApiKeyId).Select(k => new { k.LimitMicros, k.LimitPeriod }).FirstAsync();
        await meter.RunAsync(new RefusalOp(usage with { Status = "key_limit_exceeded" }));
        return ApiErrors.KeyLimitExceeded($"{Money.Format(key.LimitMicros ?? 0)} credits {ApiKeys.KeyLimitRules.Describe(key.LimitPeriod)}");
    }

    public async Task<IResult> RefuseAsync(UsageEntry usage)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var everFunded = await db.LedgerEntries.AnyAsync(e => e.WorkspaceId == usage.WorkspaceId && e.AmountMicros > 0);
        var free = await db.Workspaces.Where(w => w.Id == usage.WorkspaceId).Select(w => w.BalanceMicros - w.HeldMicros).FirstAsync();
        var status = everFunded ? "insufficient_credits" : "api_credits_required";
        await meter.RunAsync(new RefusalOp(usage with { Status = status }));
        return everFunded ? ApiErrors.InsufficientCredits(Money.Format(free)) : ApiErrors.CreditsRequired();
    }
}
