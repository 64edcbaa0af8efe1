using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>The official OpenAI .NET client, unchanged, talks to an upstream model through the gateway.</summary>
public sealed class UpstreamOpenAIClientTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync();

    [Fact]
    public async Task Lists_the_upstream_model_and_completes_a_chat_through_it()
    {
        gateway.Upstream.Script(FakeUpstream.Answer("Forwarded and back", promptTokens: 31, completionTokens: 4));
        var (_, workspace) = await gateway.ClientAsync();
        var client = new OpenAIClient(new ApiKeyCredential(workspace.Key), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.App.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(gateway.App.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

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

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
