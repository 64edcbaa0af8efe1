using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>
/// No request within Api:MaxRequestBytes can hold the server: the tokenizer once spent minutes on one long word,
/// before the credit check (481 s for 999,000 letters). The bound is generous for loaded shared test machines: the
/// fixed code answers the worst of these in under 0.5 s of CPU.
/// </summary>
public sealed class PathologicalInputTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly AppFactory app = new();

    [Fact]
    public async Task One_long_word_over_the_message_limit_gets_400_naming_the_limit_at_once()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var (response, elapsed) = await TimedAsync(() => ApiWorkspace.ChatAsync(client, new string('a', 999_000)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("Api:MaxMessageChars", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("random letters")]
    [InlineData(" ")]
    [InlineData("!")]
    public async Task One_long_word_within_raised_limits_is_counted_charged_and_answered_quickly(string kind)
    {
        using var raised = new AppFactory().With("Api:MaxMessageChars", "1000000").With("Api:MaxPromptChars", "1000000");
        var workspace = await ApiWorkspace.CreateAsync(raised, credits: 10);
        using var client = workspace.Client(raised);

        var (response, elapsed) = await TimedAsync(() => ApiWorkspace.ChatAsync(client, LongRun(kind, 999_000), maxTokens: 16));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.True(elapsed < Bound, $"{kind}: took {elapsed}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = json.RootElement.GetProperty("usage");
        Assert.InRange(usage.GetProperty("prompt_tokens").GetInt32(), 999_000 / 1000, 999_000 + 20);
        Assert.Equal(16, usage.GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task One_long_word_for_a_workspace_without_credits_is_refused_before_it_is_tokenized()
    {
        using var raised = new AppFactory().With("Api:MaxMessageChars", "1000000").With("Api:MaxPromptChars", "1000000");
        var workspace = await ApiWorkspace.CreateAsync(raised);
        using var client = workspace.Client(raised);

        var (response, elapsed) = await TimedAsync(() => ApiWorkspace.ChatAsync(client, LongRun("random letters", 999_000)));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.PaymentRequired, "api_credits_required");
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    [Fact]
    public async Task Many_tiny_messages_are_answered_quickly()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        var messages = string.Join(',', Enumerable.Repeat("{\"role\":\"user\",\"content\":\"a\"}", 30_000));

        var (response, elapsed) = await TimedAsync(() => PostAsync(client, $"{{\"model\":\"echo-1\",\"max_tokens\":1,\"messages\":[{messages}]}}"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    [Fact]
    public async Task Deeply_nested_json_gets_400_without_the_parsers_text()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        var depth = 400_000;

        var (response, elapsed) = await TimedAsync(() => PostAsync(client, $"{{\"model\":\"echo-1\",\"messages\":{new string('[', depth)}{new string(']', depth)}}}"));

        var body = await AssertInvalidWithoutInternalsAsync(response);
        Assert.True(body.Length < 600, body);
        Assert.True(elapsed < Bound, $"took {elapsed}");
        await AssertNothingRecordedAsync();
    }

    [Fact]
    public async Task A_body_of_the_wrong_types_gets_400_without_the_apps_type_names()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var response = await PostAsync(client, "{\"model\":\"echo-1\",\"messages\":{\"role\":\"user\"}}");

        var body = await AssertInvalidWithoutInternalsAsync(response);
        Assert.Contains("$.messages", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_model_name_is_not_echoed_back_in_full()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        var (response, elapsed) = await TimedAsync(() => ApiWorkspace.ChatAsync(client, "hi", model: "gpt-" + new string('x', 999_000)));

        var body = await AssertInvalidWithoutInternalsAsync(response);
        Assert.Contains("gpt-xxx", body, StringComparison.Ordinal);
        Assert.True(body.Length < 600, $"{body.Length} characters");
        Assert.True(elapsed < Bound, $"took {elapsed}");
    }

    private static async Task<string> AssertInvalidWithoutInternalsAsync(HttpResponseMessage response)
    {
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        var body = await response.Content.ReadAsStringAsync();
        foreach (var internalName in new[] { "WorkspaceApp", "System.", "JsonException", "Microsoft." })
            Assert.DoesNotContain(internalName, body, StringComparison.Ordinal);
        return body;
    }

    private async Task AssertNothingRecordedAsync()
    {
        await using var scope = app.CreateScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AppDbContext>().UsageRecords.AnyAsync());
    }

    private static string LongRun(string kind, int length) => kind switch
    {
        "random letters" => new string(Enumerable.Range(0, length).Select(i => (char)('a' + (int)((uint)(i * 2654435761u) % 26))).ToArray()),
        _ => string.Concat(Enumerable.Repeat(kind, length)),
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) =>
        client.PostAsync("/v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        var response = await send();
        return (response, clock.Elapsed);
    }

    public void Dispose() => app.Dispose();
}
