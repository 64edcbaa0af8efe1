using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.ApiKeys;

public enum ApiKeyResolutionStatus
{
    Valid,
    /// <summary>Wrong prefix, length, characters or checksum: refused without a database read.</summary>
    Malformed,
    Unknown,
    /// <summary>Revoked or rotated: the key existed and was disabled for good.</summary>
    Revoked,
    /// <summary>Past the expiry date set on it.</summary>
    Expired,
}

public sealed record ApiKeyResolution(ApiKeyResolutionStatus Status, int? KeyId = null, int? WorkspaceId = null, string? Name = null,
    DateTime? ExpiresAtUtc = null, DateTime? GraceEndsAtUtc = null)
{
    public bool IsValid => Status == ApiKeyResolutionStatus.Valid;

    /// <summary>The status at <paramref name="nowUtc"/>: a resolution kept for a while (a cache) still stops on time.</summary>
    public ApiKeyResolutionStatus StatusAt(DateTime nowUtc) => Status switch
    {
        ApiKeyResolutionStatus.Valid when GraceEndsAtUtc <= nowUtc => ApiKeyResolutionStatus.Revoked,
        ApiKeyResolutionStatus.Valid when ExpiresAtUtc <= nowUtc => ApiKeyResolutionStatus.Expired,
        _ => Status,
    };

    internal static readonly ApiKeyResolution Malformed = new(ApiKeyResolutionStatus.Malformed);
    internal static readonly ApiKeyResolution Unknown = new(ApiKeyResolutionStatus.Unknown);
}

/// <summary>
/// Turns a presented key into its workspace. Runs on every API request, so it is one indexed,
/// compiled, untracked query by the key's hash, after a checksum check that costs no database read.
/// </summary>
public sealed class ApiKeyResolver(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private sealed record Match(int Id, int WorkspaceId, string Name, ApiKeyStatus Status, DateTime? ExpiresAtUtc, DateTime? RevokedAtUtc);

    // An EF compiled query belongs to one model. The app has one, but tests and tools may build contexts with
    // other options (interceptors), so keep one compiled query per model instead of one per process.
    private static readonly ConditionalWeakTable<IModel, Func<AppDbContext, byte[], CancellationToken, Task<Match?>>> ByModel = new();

    private static Func<AppDbContext, byte[], CancellationToken, Task<Match?>> Compile(IModel _) =>
        EF.CompileAsyncQuery((AppDbContext db, byte[] hash, CancellationToken ct) =>
            db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash).Select(k => new Match(k.Id, k.WorkspaceId, k.Name, k.Status, k.ExpiresAtUtc, k.RevokedAtUtc)).FirstOrDefault());

    public async Task<ApiKeyResolution> ResolveAsync(string? presentedKey, CancellationToken ct = default)
    {
        if (!ApiKeyFormat.HasValidChecksum(presentedKey)) return ApiKeyResolution.Malformed;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lookup = ByModel.GetValue(db.Model, Compile);
        var match = await lookup(db, ApiKeyFormat.Hash(presentedKey), ct);
        if (match is null) return ApiKeyResolution.Unknown;
        // A rotated key works until the end of its grace period (its RevokedAtUtc), then it is revoked like any other.
        var now = clock.GetUtcNow().UtcDateTime;
        var inGrace = match.Status == ApiKeyStatus.Rotated && match.RevokedAtUtc > now;
        var status = match.Status == ApiKeyStatus.Active || inGrace ? ApiKeyResolutionStatus.Valid : ApiKeyResolutionStatus.Revoked;
        var resolution = new ApiKeyResolution(status, match.Id, match.WorkspaceId, match.Name, match.ExpiresAtUtc, inGrace ? match.RevokedAtUtc : null);
        return resolution with { Status = resolution.StatusAt(now) };
    }
}
