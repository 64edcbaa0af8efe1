using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>`ops ledger verify` checks the held credits, and on SQLite reads without stopping the meter.</summary>
public sealed class LedgerVerifyTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Held_credits_that_differ_from_the_open_holds_fail_verification()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        Assert.Equal(0, (await app.OpsAsync("ledger", "verify")).ExitCode);
        await using (var scope = app.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId)
                .ExecuteUpdateAsync(w => w.SetProperty(x => x.HeldMicros, 5_000_000));
        }

        var (exitCode, output, _) = await app.OpsAsync("ledger", "verify");

        Assert.Equal(1, exitCode);
        Assert.Contains($"workspace {workspace.Owner.WorkspaceId}: held 5.00 differs from the sum of its open holds 0.00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verification_reading_its_snapshot_does_not_stall_metered_requests()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        client.Timeout = TimeSpan.FromSeconds(10); // SQLite's busy wait is 30 s: a write lock held by verify would time out
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // The verification's transaction, open and reading, as for the length of a long verify.
        await using (await LedgerVerifier.BeginSnapshotAsync(db, CancellationToken.None))
        {
            Assert.Equal(1, await db.Workspaces.CountAsync());
            var response = await ApiWorkspace.ChatAsync(client, maxTokens: 1);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public void Dispose() => app.Dispose();
}
