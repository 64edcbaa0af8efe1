using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>The official OpenAI .NET client, unchanged, talks to an upstream model through the gateway, and streams.</summary>
public sealed class UpstreamOpenAIClientTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync();

    [Fact]
    public async Task Lists_the_upstream_model_and_completes_a_chat_through_it()
    {
        gateway.Upstream.Script(FakeUpstream.Answer("Forwarded and back", promptTokens: 31, completionTokens: 4));
        var client = await ClientAsync();

        var models = await client.GetOpenAIModelClient().GetModelsAsync();
        Assert.Equal("fake", models.Value.Single(m => m.Id == UpstreamApp.Model).OwnedBy);

        ChatCompletion completion = await client.GetChatClient(UpstreamApp.Model).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Through the gateway, please")],
            new ChatCompletionOptions { MaxOutputTokenCount = 50 });

        Assert.Equal("Forwarded and back", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal((31, 4), (completion.Usage.InputTokenCount, completion.Usage.OutputTokenCount));
        var forwarded = Assert.Single(gateway.Upstream.Requests).Body;
        Assert.Equal(UpstreamApp.UpstreamModelId, (string?)forwarded["model"]);
        Assert.Equal("system,user", string.Join(",", forwarded["messages"]!.AsArray().Select(m => (string?)m!["role"])));
    }

    [Theory]
    [InlineData("echo-1")]
    [InlineData(UpstreamApp.Model)]
    public async Task Streams_a_chat_completion_with_its_usage(string model)
    {
        gateway.Upstream.Script(gateway.Upstream.Stream(["Streamed ", "through ", "the gateway"], promptTokens: 31, completionTokens: 4));
        var client = await ClientAsync();

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.GetChatClient(model).CompleteChatStreamingAsync(
            [new UserChatMessage("Streamed through the gateway")],
            new ChatCompletionOptions { MaxOutputTokenCount = 50 }))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("Streamed through the gateway", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        // The OpenAI client always asks for the usage when it streams.
        Assert.NotNull(usage);
        if (model == UpstreamApp.Model) Assert.Equal((31, 4), (usage.InputTokenCount, usage.OutputTokenCount));
        else Assert.Equal(5, usage.OutputTokenCount);
    }

    private async Task<OpenAIClient> ClientAsync()
    {
        var (_, workspace) = await gateway.ClientAsync();
        return new OpenAIClient(new ApiKeyCredential(workspace.Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.App.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(gateway.App.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
