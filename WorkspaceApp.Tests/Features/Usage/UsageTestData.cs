using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Usage;

public static class UsageTestData
{
    /// <summary>
    /// Usage records as the meter writes them (the meter is tested on its own), at chosen times, for key 0. Past days
    /// are never written to in the app, so the workspace's daily sums start again, as if the records had always been there.
    /// </summary>
    public static async Task AddUsageAsync(this AppFactory app, int workspaceId, params (DateTime AtUtc, string Status, long CostMicros)[] records)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UsageRecords.AddRange(records.Select(r => new UsageRecord
        {
            WorkspaceId = workspaceId, ApiKeyId = 0, Model = "echo-1", InputTokens = 10, OutputTokens = 5, CostMicros = r.CostMicros, Status = r.Status, AtUtc = r.AtUtc,
        }));
        await db.SaveChangesAsync();
        await db.Set<UsageRollupMark>().Where(m => m.WorkspaceId == workspaceId).ExecuteDeleteAsync();
        await db.Set<UsageDay>().Where(d => d.WorkspaceId == workspaceId).ExecuteDeleteAsync();
    }
}
