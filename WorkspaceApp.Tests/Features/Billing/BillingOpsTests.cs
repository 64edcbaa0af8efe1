using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Ops;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

public sealed class BillingOpsTests : IDisposable
{
    private readonly AppFactory app = new();


    [Fact]
    public async Task Grant_adds_and_removes_credits_but_never_below_zero()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var id = user.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var grant = await app.OpsAsync("credits", "grant", "--workspace", id, "--credits", "12.5", "--reason", "support ticket 42");
        var remove = await app.OpsAsync("credits", "grant", "--workspace", id, "--credits", "-2.5", "--reason", "correction");
        var tooMuch = await app.OpsAsync("credits", "grant", "--workspace", id, "--credits", "-10.01", "--reason", "oops");
        var balance = await app.OpsAsync("credits", "balance", "--workspace", id);

        Assert.Equal((0, $"workspace: {id}\ngranted: 12.50\nbalance: 12.50\n"), (grant.ExitCode, grant.Output.ReplaceLineEndings("\n")));
        Assert.Contains("removed: 2.50\nbalance: 10.00", remove.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(1, tooMuch.ExitCode);
        Assert.Contains("cannot cover 10.01", tooMuch.Error, StringComparison.Ordinal);
        Assert.Equal($"workspace: {id}\nbalance: 10.00\nentries: 2\n", balance.Output.ReplaceLineEndings("\n"));

        await using var scope = app.CreateScope();
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .Where(a => a.WorkspaceId == user.WorkspaceId && a.Action == "credits.adjusted").ToListAsync();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal("ops", a.ActorName));
    }

    [Theory]
    [InlineData("abc", "non-zero number")]
    [InlineData("0", "non-zero number")]
    [InlineData("0.0000001", "non-zero number")]
    public async Task Grant_refuses_bad_amounts(string credits, string message)
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var result = await app.OpsAsync("credits", "grant", "--workspace", user.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--credits", credits, "--reason", "x");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Verify_says_ok_or_lists_the_problems_with_exit_code_1()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.OpsAsync("credits", "grant", "--workspace", user.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--credits", "5", "--reason", "x");

        var ok = await app.OpsAsync("ledger", "verify");
        Assert.Equal((0, "ledger ok: 1 workspaces, 1 entries"), (ok.ExitCode, ok.Output.Trim()));

        await using (var scope = app.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.BalanceMicros, 7_000_000));
        }
        var broken = await app.OpsAsync("ledger", "verify");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"workspace {user.WorkspaceId}: balance 7.00 differs from the ledger sum 5.00", broken.Output, StringComparison.Ordinal);
    }

    public void Dispose() => app.Dispose();
}
