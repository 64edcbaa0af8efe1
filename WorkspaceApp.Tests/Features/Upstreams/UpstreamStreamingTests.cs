using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;
using static WorkspaceApp.Tests.Features.Upstreams.FakeUpstream;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>"stream": true through an upstream: SSE chunks, the upstream's usage charged, aborts and breaks charged for what was produced.</summary>
public sealed class UpstreamStreamingTests : IAsyncLifetime
{
    private static readonly string[] Pieces = ["Once ", "upon ", "a ", "time, ", "far ", "away."];
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync(timeoutSeconds: 5);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_the_upstreams_chunks_and_charges_its_usage_passing_the_usage_chunk_on_only_when_asked(bool includeUsage)
    {
        gateway.Upstream.Script(gateway.Upstream.Stream(Pieces, promptTokens: 25, completionTokens: 40));
        var (client, workspace) = await gateway.ClientAsync();

        var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseEvents.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(string.Concat(Pieces), events.Content);
        Assert.Equal("[DONE]", events.Data[^1]);
        Assert.All(events.Chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("stop", events.Chunks.Last(c => c.GetProperty("choices").GetArrayLength() > 0).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var usageChunks = events.Chunks.Where(c => c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).ToList();
        if (includeUsage)
        {
            var usage = Assert.Single(usageChunks).GetProperty("usage");
            Assert.Equal((25, 40), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32()));
        }
        else
        {
            Assert.Empty(usageChunks);
        }
        // The upstream is always asked for the usage, whatever the client asked.
        var forwarded = Assert.Single(gateway.Upstream.Requests).Body;
        Assert.True((bool?)forwarded["stream"] == true && (bool?)forwarded["stream_options"]?["include_usage"] == true, forwarded.ToJsonString());

        var charged = UpstreamApp.Cost(25, 40);
        Assert.Equal(Money.FormatExact(charged), events.Comment("X-Credits-Charged"));
        Assert.Equal(Money.FormatExact(10_000_000 - charged), events.Comment("X-Credits-Remaining"));
        await using var scope = gateway.App.CreateScope();
        var ledger = await scope.ServiceProvider.GetRequiredService<AppDbContext>().LedgerEntries
            .SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage);
        Assert.Equal(-charged, ledger.AmountMicros);
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_is_charged_the_input_and_the_output_produced_and_the_upstream_is_cancelled()
    {
        gateway.Upstream.Script(gateway.Upstream.Stream(Pieces, promptTokens: 25, completionTokens: 40, StreamEnd.Hang));
        var (client, workspace) = await gateway.ClientAsync();

        using (var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage: true), HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            await ReadUntilAsync(reader, string.Concat(Pieces));
        } // the client goes away with the upstream still streaming

        var usage = await WaitForUsageAsync(workspace, "client_aborted");
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        var (prompt, produced) = (3 + tokens.Count("user") + tokens.Count("Hello there") + 3, tokens.Count(string.Concat(Pieces)));
        Assert.Equal((prompt, produced, UpstreamApp.Cost(prompt, produced)), (usage.InputTokens, usage.OutputTokens, usage.CostMicros));
        await AssertSettledAsync(workspace, UpstreamApp.Cost(prompt, produced));
        await Eventually.WaitAsync(() => Task.FromResult(gateway.Upstream.AbortedRequests == 1), TimeSpan.FromSeconds(10), "the upstream request is cancelled");
    }

    [Fact]
    public async Task An_upstream_that_breaks_off_mid_stream_gives_an_error_event_and_charges_what_was_produced()
    {
        gateway.Upstream.Script(gateway.Upstream.Stream(Pieces, promptTokens: 25, completionTokens: 40, StreamEnd.Drop));
        var (client, workspace) = await gateway.ClientAsync();

        using var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage: true), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await ReadUntilAsync(reader, string.Concat(Pieces));
        gateway.Upstream.BreakStreams();

        var events = SseEvents.Parse(await reader.ReadToEndAsync());
        Assert.DoesNotContain("[DONE]", events.Data);
        Assert.Equal("upstream_error", JsonDocument.Parse(events.Data[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        var (prompt, produced) = (3 + tokens.Count("user") + tokens.Count("Hello there") + 3, tokens.Count(string.Concat(Pieces)));
        var usage = await WaitForUsageAsync(workspace, "upstream_interrupted");
        Assert.Equal(UpstreamApp.Cost(prompt, produced), usage.CostMicros);
        await AssertSettledAsync(workspace, UpstreamApp.Cost(prompt, produced));
    }

    [Fact]
    public async Task An_upstream_error_before_the_first_chunk_is_an_ordinary_error_and_charges_nothing()
    {
        gateway.Upstream.Script(Error(500, "boom"));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage: true));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadGateway, "upstream_error");
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
    }

    [Fact]
    public async Task A_built_in_model_streams_and_is_charged_as_when_not_streaming()
    {
        var (client, workspace) = await gateway.ClientAsync();
        var plain = await ApiWorkspace.ChatAsync(client, "Stream me, please, word by word.", maxTokens: 100);
        var plainCharge = plain.Headers.GetValues("X-Credits-Charged").Single();

        var response = await client.SendAsync(SseEvents.Request("echo-1", includeUsage: true, content: "Stream me, please, word by word."));

        var events = SseEvents.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Stream me, please, word by word.", events.Content);
        Assert.True(events.Chunks.Count(c => c.GetProperty("choices").GetArrayLength() > 0) >= 6, "one chunk per word");
        Assert.Equal(plainCharge, events.Comment("X-Credits-Charged"));
        Assert.Equal("[DONE]", events.Data[^1]);
        Assert.Empty(gateway.Upstream.Requests);
        await using var scope = gateway.App.CreateScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<AppDbContext>().LedgerEntries
            .CountAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage));
    }

    /// <summary>Reads events until their content adds up to <paramref name="expected"/>.</summary>
    private static async Task ReadUntilAsync(StreamReader reader, string expected)
    {
        var received = "";
        while (received != expected)
        {
            var line = await reader.ReadLineAsync();
            Assert.True(line is not null, $"The stream ended after '{received}'");
            if (line.StartsWith("data: ", StringComparison.Ordinal)) received += SseEvents.Parse(line).Content;
        }
    }

    private async Task<WorkspaceApp.Features.Usage.UsageRecord> WaitForUsageAsync(ApiWorkspace workspace, string status)
    {
        WorkspaceApp.Features.Usage.UsageRecord? usage = null;
        await Eventually.WaitAsync(async () =>
        {
            await using var scope = gateway.App.CreateScope();
            usage = await scope.ServiceProvider.GetRequiredService<AppDbContext>().UsageRecords.SingleOrDefaultAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId);
            return usage is not null;
        }, TimeSpan.FromSeconds(10), "the stream is settled");
        Assert.Equal(status, usage!.Status);
        return usage;
    }

    private async Task AssertSettledAsync(ApiWorkspace workspace, long charged)
    {
        await using var scope = gateway.App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal((10_000_000 - charged, 0L), (row.BalanceMicros, row.HeldMicros));
        Assert.Equal(-charged, (await db.LedgerEntries.SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage)).AmountMicros);
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
