using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>Embeddings forwarded to an upstream ({BaseUrl}/embeddings): charged its reported usage, its errors release the hold.</summary>
public sealed class UpstreamEmbeddingsTests : IAsyncLifetime
{
    private const string Text = "The quick brown fox jumps over the lazy dog, again and again and again.";
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync(timeoutSeconds: 1);

    [Fact]
    public async Task Forwards_the_texts_under_the_upstream_id_and_charges_the_reported_usage_to_the_micro_credit()
    {
        // We count about 2 x 17 tokens (the hold); the upstream reports 20, which is what is charged.
        gateway.Upstream.Script(FakeUpstream.Embeddings(promptTokens: 20));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var (response, json) = await EmbeddingsTests.EmbedAsync(client, new[] { Text, Text + " Twice." }, UpstreamApp.Model, dimensions: 3);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeUpstream.VectorFor(0), EmbeddingsTests.Vector(json, 0)); // put back in input order
        Assert.Equal(FakeUpstream.VectorFor(1), EmbeddingsTests.Vector(json, 1));
        Assert.Equal(20, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var (authorization, body) = Assert.Single(gateway.Upstream.Requests);
        Assert.Equal($"Bearer {FakeUpstream.ApiKey}", authorization);
        Assert.Equal(UpstreamApp.UpstreamModelId, (string?)body["model"]);
        Assert.Equal([Text, Text + " Twice."], body["input"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(("float", 3), ((string?)body["encoding_format"], (int?)body["dimensions"]));

        var charged = UpstreamApp.Cost(20, 0);
        Assert.Equal(Money.FormatExact(charged), response.Headers.GetValues("X-Credits-Charged").Single());
        await using var scope = gateway.App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = await db.LedgerEntries.SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage);
        Assert.Equal(-charged, ledger.AmountMicros);
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal((10_000_000 - charged, 0L), (row.BalanceMicros, row.HeldMicros));
    }

    [Fact]
    public async Task Without_reported_usage_our_count_is_charged()
    {
        gateway.Upstream.Script(FakeUpstream.Embeddings(promptTokens: null));
        var (client, workspace) = await gateway.ClientAsync();

        var (response, _) = await EmbeddingsTests.EmbedAsync(client, Text, UpstreamApp.Model);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>().Count(Text);
        await using var scope = gateway.App.CreateScope();
        var usage = await scope.ServiceProvider.GetRequiredService<AppDbContext>().UsageRecords.SingleAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId);
        Assert.Equal((tokens, 0, UpstreamApp.Cost(tokens, 0)), (usage.InputTokens, usage.OutputTokens, usage.CostMicros));
    }

    [Theory]
    [InlineData(400, HttpStatusCode.BadRequest, "upstream_rejected")]
    [InlineData(429, HttpStatusCode.TooManyRequests, "upstream_rate_limited")]
    [InlineData(500, HttpStatusCode.BadGateway, "upstream_error")]
    [InlineData(0, HttpStatusCode.GatewayTimeout, "upstream_timeout")]
    public async Task An_upstream_error_is_mapped_and_releases_the_hold(int upstreamStatus, HttpStatusCode status, string code)
    {
        gateway.Upstream.Script(upstreamStatus == 0 ? gateway.Upstream.Hang() : FakeUpstream.Error(upstreamStatus, "No embeddings for you."));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var (response, _) = await EmbeddingsTests.EmbedAsync(client, Text, UpstreamApp.Model);

        await ApiAssert.ErrorAsync(response, status, code);
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
    }

    [Fact]
    public async Task An_answer_that_is_not_embeddings_is_502_and_charges_nothing()
    {
        // A chat completion where the vectors should be: no "data" at all.
        gateway.Upstream.Script(FakeUpstream.Answer("not embeddings", 1, 1));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var (response, _) = await EmbeddingsTests.EmbedAsync(client, Text, UpstreamApp.Model);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadGateway, "upstream_error");
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
    }

    [Theory]
    [InlineData(EchoEmbeddingModel.BuiltInId)]
    [InlineData(UpstreamApp.Model)]
    public async Task The_official_OpenAI_client_gets_embeddings(string model)
    {
        gateway.Upstream.Script(FakeUpstream.Embeddings(promptTokens: 9));
        var (_, workspace) = await gateway.ClientAsync();
        var client = new OpenAIClient(new ApiKeyCredential(workspace.Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.App.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(gateway.App.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

        var embeddings = (await client.GetEmbeddingClient(model).GenerateEmbeddingsAsync(["first text", "second text"])).Value;

        Assert.Equal(2, embeddings.Count);
        var expected = model == UpstreamApp.Model
            ? [FakeUpstream.VectorFor(0), FakeUpstream.VectorFor(1)]
            : new[] { EchoEmbeddingModel.Vector("first text", EchoEmbeddingModel.Size), EchoEmbeddingModel.Vector("second text", EchoEmbeddingModel.Size) };
        Assert.Equal(expected[0], embeddings[0].ToFloats().ToArray());
        Assert.Equal(expected[1], embeddings[1].ToFloats().ToArray());
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        Assert.Equal(model == UpstreamApp.Model ? 9 : tokens.Count("first text") + tokens.Count("second text"), embeddings.Usage.InputTokenCount);
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
