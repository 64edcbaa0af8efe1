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
}

public sealed record ApiKeyResolution(ApiKeyResolutionStatus Status, int? KeyId = null, int? WorkspaceId = null, string? Name = null)
{
    public bool IsValid => Status == ApiKeyResolutionStatus.Valid;

    internal static readonly ApiKeyResolution Malformed = new(ApiKeyResolutionStatus.Malformed);
    internal static readonly ApiKeyResolution Unknown = new(ApiKeyResolutionStatus.Unknown);
}

/// <summary>
/// Turns a presented key into its workspace. Runs on every API request, so it is one indexed,
/// compiled, untracked query by the key's hash, after a checksum check that costs no database read.
/// </summary>
public sealed class ApiKeyResolver(IDbContextFactory<AppDbContext> dbFactory)
{
    private sealed record Match(int Id, int WorkspaceId, string Name, ApiKeyStatus Status);

    // An EF compiled query belongs to one model. The app has one, but tests and tools may build contexts with
    // other options (interceptors), so keep one compiled query per model instead of one per process.
    private static readonly ConditionalWeakTable<IModel, Func<AppDbContext, byte[], CancellationToken, Task<Match?>>> ByModel = new();

    private static Func<AppDbContext, byte[], CancellationToken, Task<Match?>> Compile(IModel _) =>
        EF.CompileAsyncQuery((AppDbContext db, byte[] hash, CancellationToken ct) =>
            db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash).Select(k => new Match(k.Id, k.WorkspaceId, k.Name, k.Status)).FirstOrDefault());

    public async Task<ApiKeyResolution> ResolveAsync(string? presentedKey, CancellationToken ct = default)
    {
        if (!ApiKeyFormat.HasValidChecksum(presentedKey)) return ApiKeyResolution.Malformed;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lookup = ByModel.GetValue(db.Model, Compile);
        var match = await lookup(db, ApiKeyFormat.Hash(presentedKey), ct);
        if (match is null) return ApiKeyResolution.Unknown;
        var status = match.Status == ApiKeyStatus.Active ? ApiKeyResolutionStatus.Valid : ApiKeyResolutionStatus.Revoked;
        return new ApiKeyResolution(status, match.Id, match.WorkspaceId, match.Name);
    }
}
