using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Usage;

public static class UsageTestData
{
    /// <summary>Usage records as the meter writes them (the meter is tested on its own), at chosen times, for key 0.</summary>
    public static async Task AddUsageAsync(this AppFactory app, int workspaceId, params (DateTime AtUtc, string Status, long CostMicros)[] records)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.UsageRecords.AddRange(records.Select(r => new UsageRecord
        {
            WorkspaceId = workspaceId, ApiKeyId = 0, Model = "echo-1", InputTokens = 10, OutputTokens = 5, CostMicros = r.CostMicros, Status = r.Status, AtUtc = r.AtUtc,
        }));
        await db.SaveChangesAsync();
    }
}
