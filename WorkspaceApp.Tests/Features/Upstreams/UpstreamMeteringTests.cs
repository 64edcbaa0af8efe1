using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>An upstream model is forwarded to and charged what the upstream reports, never more than the hold.</summary>
public sealed class UpstreamMeteringTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync();

    [Fact]
    public async Task Forwards_under_the_upstream_id_and_key_and_charges_the_reported_usage_to_the_micro_credit()
    {
        // The upstream counts 25 + 40 tokens; we would count about 11 + 4 for this prompt and answer.
        gateway.Upstream.Script(FakeUpstream.Answer("Hello from upstream", promptTokens: 25, completionTokens: 40));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await gateway.ChatAsync(client, maxTokens: 100);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Hello from upstream", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(UpstreamApp.Model, json.RootElement.GetProperty("model").GetString());
        Assert.Equal(25, json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(40, json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        var (authorization, body) = Assert.Single(gateway.Upstream.Requests);
        Assert.Equal($"Bearer {FakeUpstream.ApiKey}", authorization);
        Assert.Equal(UpstreamApp.UpstreamModelId, (string?)body["model"]);
        Assert.Equal(100, (int?)body["max_tokens"]);
        Assert.Equal("Hello there", (string?)body["messages"]![0]!["content"]);

        var charged = UpstreamApp.Cost(25, 40); // 75 + 280 = 355 micro-credits
        await using var scope = gateway.App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = await db.LedgerEntries.SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage);
        Assert.Equal(-charged, ledger.AmountMicros);
        Assert.Equal(Money.FormatExact(charged), response.Headers.GetValues("X-Credits-Charged").Single());
        var usage = await db.UsageRecords.SingleAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId);
        Assert.Equal((25, 40, charged, "succeeded"), (usage.InputTokens, usage.OutputTokens, usage.CostMicros, usage.Status));
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal((10_000_000 - charged, 0L), (row.BalanceMicros, row.HeldMicros));
    }

    [Fact]
    public async Task Without_reported_usage_our_tokenizer_counts_the_prompt_and_the_answer()
    {
        const string answer = "An answer the upstream did not count for us.";
        gateway.Upstream.Script(FakeUpstream.Answer(answer, promptTokens: null, completionTokens: null));
        var (client, workspace) = await gateway.ClientAsync();

        var response = await gateway.ChatAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        var prompt = 3 + tokens.Count("user") + tokens.Count("Hello there") + 3;
        var completion = tokens.Count(answer);
        await using var scope = gateway.App.CreateScope();
        var usage = await scope.ServiceProvider.GetRequiredService<AppDbContext>().UsageRecords.SingleAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId);
        Assert.Equal((prompt, completion, UpstreamApp.Cost(prompt, completion)), (usage.InputTokens, usage.OutputTokens, usage.CostMicros));
    }

    [Fact]
    public async Task Usage_beyond_the_hold_is_charged_the_hold_and_logged_as_a_warning()
    {
        gateway.Upstream.Script(FakeUpstream.Answer("Too much", promptTokens: 50_000, completionTokens: 90_000));
        var (client, workspace) = await gateway.ClientAsync();

        var response = await gateway.ChatAsync(client, maxTokens: 10);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        var hold = UpstreamApp.Cost(3 + tokens.Count("user") + tokens.Count("Hello there") + 3, 10);
        await using var scope = gateway.App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = await db.LedgerEntries.SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage);
        Assert.Equal(-hold, ledger.AmountMicros);
        Assert.Equal(0, (await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId)).HeldMicros);
        Assert.Contains(gateway.App.Logs.Lines, l => l.Contains("more than the hold covers", StringComparison.Ordinal) && l.Contains("90000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_lists_upstream_models_with_the_upstream_as_owner()
    {
        var (client, _) = await gateway.ClientAsync();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/v1/models"));

        var owners = json.RootElement.GetProperty("data").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("owned_by").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["echo-1"] = "workspaceapp", ["echo-1-mini"] = "workspaceapp", ["echo-embed-1"] = "workspaceapp", [UpstreamApp.Model] = "fake" }, owners);
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
