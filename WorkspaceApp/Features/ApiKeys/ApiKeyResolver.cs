using Microsoft.EntityFrameworkCore;
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
/// untracked query by the key's hash, after a checksum check that costs no database read.
/// </summary>
public sealed class ApiKeyResolver(IDbContextFactory<AppDbContext> dbFactory)
{
    private sealed record Match(int Id, int WorkspaceId, string Name, ApiKeyStatus Status);

    public async Task<ApiKeyResolution> ResolveAsync(string? presentedKey, CancellationToken ct = default)
    {
        if (!ApiKeyFormat.HasValidChecksum(presentedKey)) return ApiKeyResolution.Malformed;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = ApiKeyFormat.Hash(presentedKey);
        // Not an EF compiled query: those bind to the first model they meet, and tests and tools build several.
        // EF's query cache makes the difference small (see bench/keys).
        var match = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == hash)
            .Select(k => new Match(k.Id, k.WorkspaceId, k.Name, k.Status))
            .FirstOrDefaultAsync(ct);
        if (match is null) return ApiKeyResolution.Unknown;
        var status = match.Status == ApiKeyStatus.Active ? ApiKeyResolutionStatus.Valid : ApiKeyResolutionStatus.Revoked;
        return new ApiKeyResolution(status, match.Id, match.WorkspaceId, match.Name);
    }
}
