using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>The client's generation settings reach the upstream as sent; fields that could outgrow the hold do not.</summary>
public sealed class UpstreamGenerationOptionsTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Temperature_stop_seed_and_response_format_are_passed_on_and_nothing_else(bool stream)
    {
        gateway.Upstream.Script(stream
            ? gateway.Upstream.Stream(["Hi"], promptTokens: 5, completionTokens: 1)
            : FakeUpstream.Answer("Hi", promptTokens: 5, completionTokens: 1));
        var (client, _) = await gateway.ClientAsync(credits: 10);

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new Dictionary<string, object>
        {
            ["model"] = UpstreamApp.Model,
            ["max_tokens"] = 10,
            ["stream"] = stream,
            ["messages"] = new[] { new { role = "user", content = "Hello there" } },
            ["temperature"] = 0.2,
            ["top_p"] = 0.9,
            ["stop"] = new[] { "\n\n" },
            ["seed"] = 42,
            ["response_format"] = new { type = "json_object" },
            ["n"] = 1,
            ["frobnicate"] = true,
        });
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, body) = Assert.Single(gateway.Upstream.Requests);
        Assert.Equal(0.2, (double?)body["temperature"]);
        Assert.Equal(0.9, (double?)body["top_p"]);
        Assert.Equal("\n\n", (string?)body["stop"]![0]);
        Assert.Equal(42, (int?)body["seed"]);
        Assert.Equal("json_object", (string?)body["response_format"]!["type"]);
        Assert.Equal(10, (int?)body["max_tokens"]);
        Assert.False(body.ContainsKey("n"));
        Assert.False(body.ContainsKey("frobnicate"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public async Task More_than_one_answer_is_refused_before_anything_is_held(int n)
    {
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = UpstreamApp.Model,
            ["n"] = n,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello there" }),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'n' must be 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(gateway.Upstream.Requests);
        Assert.Equal(10_000_000, await gateway.BalanceAsync(workspace));
        Assert.Equal(0, await gateway.UsageCountAsync(workspace));
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
