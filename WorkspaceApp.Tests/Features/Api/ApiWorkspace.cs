using System.Net.Http.Headers;
using System.Net.Http.Json;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>A workspace ready for API calls: plan, credits and a key, all set up through the ops command line.</summary>
public sealed record ApiWorkspace(TestUser Owner, string Key)
{
    public static async Task<ApiWorkspace> CreateAsync(AppFactory app, WorkspacePlan plan = WorkspacePlan.Pro, decimal credits = 0)
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var id = owner.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (credits > 0) await RunAsync(app, "credits", "grant", "--workspace", id, "--credits", credits.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "test");
        var key = await CreateKeyAsync(app, owner.WorkspaceId);
        if (plan != WorkspacePlan.Pro) await RunAsync(app, "plan", "set", "--workspace", id, "--plan", plan.ToString().ToLowerInvariant());
        return new ApiWorkspace(owner, key);
    }

    /// <summary>Another active key of the workspace.</summary>
    public static async Task<string> CreateKeyAsync(AppFactory app, int workspaceId, string name = "Test key")
    {
        var created = await RunAsync(app, "keys", "create", "--workspace", workspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", name);
        return created.Split('\n').Single(l => l.StartsWith("key: ", StringComparison.Ordinal))[5..].Trim();
    }

    public HttpClient Client(AppFactory app, string? key = null)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Key);
        return client;
    }

    public static Task<HttpResponseMessage> ChatAsync(HttpClient client, string content = "Hello there", int? maxTokens = 16, string model = "echo-1") =>
        client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model,
            max_tokens = maxTokens,
            messages = new[] { new { role = "user", content } },
        });

    private static async Task<string> RunAsync(AppFactory app, params string[] args)
    {
        var (exitCode, output, error) = await app.OpsAsync(args);
        Assert.True(exitCode == 0, $"ops {string.Join(' ', args)} failed: {error}");
        return output;
    }
}
