using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Holds never leak: a failed model gives the hold back, and a restart releases holds a crash left behind.</summary>
public class HoldTests : IDisposable
{
    private readonly AppFactory app;

    public HoldTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected HoldTests(DatabaseProvider provider) => app = new AppFactory(provider)
        .With("Pricing:Models:broken-1:InputPerMillion", "1000000")
        .With("Pricing:Models:broken-1:OutputPerMillion", "1000000");

    [Fact]
    public async Task A_failing_model_releases_the_whole_hold_and_charges_nothing()
    {
        using var failing = app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IChatModel, BrokenModel>()));
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 50);
        using var client = failing.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", workspace.Key);

        var response = await ApiWorkspace.ChatAsync(client, "hi", maxTokens: 10, model: "broken-1");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadGateway, "upstream_error");
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var workspaceRow = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal(50_000_000, workspaceRow.BalanceMicros);
        Assert.Equal(0, workspaceRow.HeldMicros);
        Assert.Equal(0, await db.CreditHolds.CountAsync());
        Assert.Equal("upstream_failed", (await db.UsageRecords.SingleAsync()).Status);
    }

    [Fact]
    public async Task Holds_left_by_a_crash_are_released_when_the_app_starts()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 50);
        await using (var scope = app.CreateScope())
        {
            // What a crash between hold and settle leaves: the hold row and the held credits, of an instance long gone.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CreditHolds.Add(new CreditHold { WorkspaceId = workspace.Owner.WorkspaceId, ApiKeyId = 1, AmountMicros = 30_000_000, CreatedAtUtc = DateTime.UtcNow.AddMinutes(-5), InstanceId = "crashed" });
            await db.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).ExecuteUpdateAsync(w => w.SetProperty(x => x.HeldMicros, 30_000_000));
            await db.SaveChangesAsync();
        }

        // A second app instance on the same database is a restart.
        using var restarted = new AppFactory(app.Provider).With("ConnectionStrings:Default", app.ConnectionString);
        using var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", workspace.Key);
        var credits = await client.GetStringAsync("/v1/credits");

        Assert.Contains("\"available\":\"50.00\"", credits, StringComparison.Ordinal);
        await using var check = restarted.CreateScope();
        var after = check.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, await after.CreditHolds.CountAsync());
        Assert.Equal(50_000_000, await after.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync());
    }

    private sealed class BrokenModel : IChatModel
    {
        public string Id => "broken-1";

        public Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, CancellationToken ct) =>
            throw new HttpRequestException("upstream is down");
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
