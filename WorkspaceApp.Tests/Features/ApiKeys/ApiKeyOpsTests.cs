using Microsoft.Extensions.DependencyInjection;
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


    public void Dispose() => app.Dispose();
}
