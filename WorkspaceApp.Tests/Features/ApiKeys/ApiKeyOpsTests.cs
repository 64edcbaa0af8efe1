using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Ops;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

public sealed class ApiKeyOpsTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Create_prints_the_key_once_list_shows_the_hint_and_revoke_disables_it()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Automation Inc");

        var created = await app.OpsAsync("keys", "create", "--workspace", "Automation Inc", "--name", "CI");

        Assert.Equal(0, created.ExitCode);
        var keyLines = created.Output.Split('\n').Where(l => l.StartsWith("key: ", StringComparison.Ordinal)).ToList();
        var key = Assert.Single(keyLines)["key: ".Length..].Trim();
        var resolver = app.Services.GetRequiredService<ApiKeyResolver>();
        var resolved = await resolver.ResolveAsync(key);
        Assert.Equal((ApiKeyResolutionStatus.Valid, owner.WorkspaceId, "CI"), (resolved.Status, resolved.WorkspaceId, resolved.Name));

        var list = await app.OpsAsync("keys", "list", "--workspace", owner.WorkspaceId.ToString());
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"\tCI\t{ApiKeyFormat.Hint(key)}\tactive\t", list.Output, StringComparison.Ordinal);
        Assert.Contains("by ops\tlast-used=never", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Output, StringComparison.Ordinal);

        var revoked = await app.OpsAsync("keys", "revoke", "--workspace", "Automation Inc", "--name", "CI");
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(ApiKeyResolutionStatus.Revoked, (await resolver.ResolveAsync(key)).Status);
        Assert.Contains("\trevoked\t", (await app.OpsAsync("keys", "list", "--workspace", "Automation Inc")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_exit_with_1_and_say_why_on_stderr()
    {
        var trial = await app.RegisterAsync(workspaceName: "Trial Ltd");
        var pro = await app.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Pro Ltd");

        var onTrial = await app.OpsAsync("keys", "create", "--workspace", trial.WorkspaceId.ToString(), "--name", "CI");
        Assert.Equal((1, ""), (onTrial.ExitCode, onTrial.Output));
        Assert.Contains(ApiKeyService.NeedsPro, onTrial.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await app.OpsAsync("keys", "create", "--workspace", "Pro Ltd", "--name", "CI")).ExitCode);
        var duplicate = await app.OpsAsync("keys", "create", "--workspace", "Pro Ltd", "--name", "CI");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains(ApiKeyNames.Taken("CI"), duplicate.Error, StringComparison.Ordinal);

        var unknown = await app.OpsAsync("keys", "revoke", "--workspace", pro.WorkspaceId.ToString(), "--name", "Nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No active key named 'Nope'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_and_limits_set_a_spend_limit_and_a_last_day_by_the_dialogs_rules()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Limits Inc");
        var lastDay = DateTime.UtcNow.Date.AddDays(30);

        var created = await app.OpsAsync("keys", "create", "--workspace", "Limits Inc", "--name", "CI",
            "--limit", "25.5", "--per", "month", "--last-day", lastDay.ToString("yyyy-MM-dd"));
        Assert.True(created.ExitCode == 0, created.Error);
        var key = await StoredAsync("CI");
        Assert.Equal((ApiKeyLimitPeriod.Month, 25_500_000L, lastDay.AddDays(1)), (key.LimitPeriod, key.LimitMicros, key.ExpiresAtUtc));
        Assert.Contains("25.50 credits per month", (await app.OpsAsync("keys", "list", "--workspace", "Limits Inc")).Output, StringComparison.Ordinal);

        var cleared = await app.OpsAsync("keys", "limits", "--workspace", "Limits Inc", "--name", "CI", "--limit", "none");
        Assert.True(cleared.ExitCode == 0, cleared.Error);
        Assert.Contains("no spend limit, expires", cleared.Output, StringComparison.Ordinal);
        key = await StoredAsync("CI");
        Assert.Equal((ApiKeyLimitPeriod.None, (long?)null, lastDay.AddDays(1)), (key.LimitPeriod, key.LimitMicros, key.ExpiresAtUtc)); // the last day kept

        // Refused with the reason, and nothing changes.
        var past = await app.OpsAsync("keys", "limits", "--workspace", "Limits Inc", "--name", "CI", "--last-day", DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd"));
        Assert.Equal(1, past.ExitCode);
        Assert.Contains("The expiry date must be in the future.", past.Error, StringComparison.Ordinal);
        Assert.Equal(lastDay.AddDays(1), (await StoredAsync("CI")).ExpiresAtUtc);
        foreach (var (options, reason) in new[]
        {
            (new[] { "--limit", "-5", "--per", "day" }, "The spend limit must be more than 0 credits."),
            (new[] { "--limit", "5" }, "Option --limit needs --per day, month or total."),
            (new[] { "--per", "day" }, "Option --per needs --limit CREDITS."),
            (new[] { "--limit", "2000000", "--per", "total" }, "The spend limit can be at most 1,000,000 credits."),
        })
        {
            var refused = await app.OpsAsync(["keys", "create", "--workspace", "Limits Inc", "--name", "Bad", .. options]);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(reason, refused.Error, StringComparison.Ordinal);
        }
        await using var scope = app.CreateScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.AnyAsync(k => k.WorkspaceId == owner.WorkspaceId && k.Name == "Bad"));
    }

    private async Task<ApiKey> StoredAsync(string name)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.Name == name);
    }

    public void Dispose() => app.Dispose();
}
