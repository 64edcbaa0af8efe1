using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Bad embeddings requests get a clear 400 (or 402 without credits) and charge nothing.</summary>
public sealed class EmbeddingsBadInputTests : IDisposable
{
    private readonly AppFactory app = new AppFactory()
        .With("Pricing:Models:echo-embed-1:InputPerMillion", "5")
        .With("Api:MaxEmbeddingInputs", "3");

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{\"model\": \"echo-embed-1\", \"input\": []}", "empty array" },
        { "{\"model\": \"echo-embed-1\", \"input\": [\"a\", \"b\", \"c\", \"d\"]}", "more texts than Api:MaxEmbeddingInputs" },
        { "{\"model\": \"echo-embed-1\", \"input\": [\"a\", 7]}", "a number among the texts" },
        { "{\"model\": \"echo-embed-1\", \"input\": [1, 2, 3]}", "token ids" },
        { "{\"model\": \"echo-embed-1\", \"input\": {\"text\": \"a\"}}", "an object" },
        { "{\"model\": \"echo-embed-1\"}", "no input" },
        { "{\"model\": \"echo-embed-1\", \"input\": [\"a\", \"\"]}", "an empty text" },
        { "{\"model\": \"echo-embed-1\", \"input\": \"a\", \"encoding_format\": \"hex\"}", "unknown encoding" },
        { "{\"model\": \"echo-embed-1\", \"input\": \"a\", \"dimensions\": 0}", "zero dimensions" },
        { "{\"model\": \"echo-embed-1\", \"input\": \"a\", \"dimensions\": 257}", "more dimensions than the model has" },
        { "{\"model\": \"echo-1\", \"input\": \"a\"}", "a chat model" },
        { "{\"input\": \"a\"}", "no model" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_gets_400_invalid_request_and_charges_nothing(string body, string why)
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var response = await client.PostAsync("/v1/embeddings", new StringContent(body, Encoding.UTF8, "application/json"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.True(await db.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync() == 10_000_000, why);
        Assert.False(await db.UsageRecords.AnyAsync(), why);
    }

    [Fact]
    public async Task A_chat_with_the_embeddings_model_is_told_where_to_go()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var response = await ApiWorkspace.ChatAsync(client, model: "echo-embed-1");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("use POST /v1/embeddings", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_long_inputs_get_400_naming_the_setting()
    {
        using var small = new AppFactory().With("Api:MaxPromptChars", "10");
        var workspace = await ApiWorkspace.CreateAsync(small, credits: 10);
        using var client = workspace.Client(small);

        var response = await client.PostAsJsonAsync("/v1/embeddings", new { model = "echo-embed-1", input = new[] { "123456", "789012" } });

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("Api:MaxPromptChars", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_without_credits_gets_402_before_anything_is_held()
    {
        var workspace = await ApiWorkspace.CreateAsync(app);
        using var client = workspace.Client(app);

        var (response, _) = await EmbeddingsTests.EmbedAsync(client, "no credits");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.PaymentRequired, "api_credits_required");
    }

    public void Dispose() => app.Dispose();
}
