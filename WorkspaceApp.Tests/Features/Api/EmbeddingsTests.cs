using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>POST /v1/embeddings with the built-in echo-embed-1: deterministic unit vectors, charged tokens x price exactly.</summary>
public sealed class EmbeddingsTests : IDisposable
{
    // 5 credits per million tokens is 5 micro-credits per token: every charge is exact.
    private readonly AppFactory app = new AppFactory()
        .With("Pricing:Models:echo-embed-1:InputPerMillion", "5");

    [Fact]
    public async Task The_built_in_model_gives_the_same_unit_vector_for_the_same_text_and_charges_tokens_times_price()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        const string text = "Embeddings for the workspace, deterministic and offline.";

        var first = await EmbedAsync(client, text);
        var again = await EmbedAsync(client, text);
        var other = await EmbedAsync(client, text + "!");

        Assert.Equal(HttpStatusCode.OK, first.Response.StatusCode);
        var vector = Vector(first.Json, 0);
        Assert.Equal(EchoEmbeddingModel.Size, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
        Assert.Equal(vector, Vector(again.Json, 0));
        Assert.NotEqual(vector, Vector(other.Json, 0));
        Assert.Equal(EchoEmbeddingModel.Vector(text, EchoEmbeddingModel.Size), vector);
        Assert.Equal("echo-embed-1", first.Json.GetProperty("model").GetString());

        var tokens = app.Services.GetRequiredService<TokenCounter>().Count(text);
        Assert.Equal(tokens, first.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Money.FormatExact(5L * tokens), first.Response.Headers.GetValues("X-Credits-Charged").Single());
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = await db.LedgerEntries.Where(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage).OrderBy(e => e.Id).FirstAsync();
        Assert.Equal(-5L * tokens, ledger.AmountMicros);
        var usage = await db.UsageRecords.Where(u => u.WorkspaceId == workspace.Owner.WorkspaceId).OrderBy(u => u.Id).FirstAsync();
        Assert.Equal(("echo-embed-1", tokens, 0, 5L * tokens, "succeeded"), (usage.Model, usage.InputTokens, usage.OutputTokens, usage.CostMicros, usage.Status));
        Assert.Equal(0, (await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId)).HeldMicros);
    }

    [Fact]
    public async Task An_array_gives_one_vector_per_text_in_order_and_counts_them_all()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var (response, json) = await EmbedAsync(client, new[] { "alpha", "beta gamma", "alpha" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 1, 2], json.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(Vector(json, 0), Vector(json, 2));
        Assert.NotEqual(Vector(json, 0), Vector(json, 1));
        var tokens = app.Services.GetRequiredService<TokenCounter>();
        Assert.Equal(2 * tokens.Count("alpha") + tokens.Count("beta gamma"), json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Base64_and_dimensions_give_the_shortened_vector_as_little_endian_floats()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var (_, floats) = await EmbedAsync(client, "short", dimensions: 8);
        var (_, base64) = await EmbedAsync(client, "short", dimensions: 8, encodingFormat: "base64");

        var bytes = Convert.FromBase64String(base64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, 4 * i)).ToArray();
        Assert.Equal(Vector(floats, 0), decoded);
        Assert.Equal(8, decoded.Length);
        Assert.Equal(1.0, Math.Sqrt(decoded.Sum(v => (double)v * v)), 5);
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Json)> EmbedAsync(HttpClient client, object input, string model = "echo-embed-1", int? dimensions = null, string? encodingFormat = null)
    {
        var response = await client.PostAsJsonAsync("/v1/embeddings", new { model, input, dimensions, encoding_format = encodingFormat });
        var body = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(body).RootElement.Clone());
    }

    public static float[] Vector(JsonElement json, int index) =>
        json.GetProperty("data")[index].GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public void Dispose() => app.Dispose();
}
