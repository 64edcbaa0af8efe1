using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>The official OpenAI .NET client, unchanged, pointed at the app.</summary>
public sealed class OpenAIClientTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Lists_models_and_completes_a_chat()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var client = Client(workspace.Key);

        var models = await client.GetOpenAIModelClient().GetModelsAsync();
        Assert.Equal(["echo-1", "echo-1-mini", "echo-embed-1"], models.Value.Select(m => m.Id).Order().ToArray());

        ChatCompletion completion = await client.GetChatClient("echo-1").CompleteChatAsync(
            [new SystemChatMessage("You are an echo."), new UserChatMessage("Ping from the OpenAI client")],
            new ChatCompletionOptions { MaxOutputTokenCount = 20 });
        Assert.Equal("Ping from the OpenAI client", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 5);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Surfaces_401_402_and_403()
    {
        var trial = await ApiWorkspace.CreateAsync(app, WorkspacePlan.Trial, credits: 10);
        var broke = await ApiWorkspace.CreateAsync(app, credits: 0);

        await AssertStatusAsync(Client("wsk_not-a-real-key"), 401, "invalid_api_key");
        await AssertStatusAsync(Client(trial.Key), 403, "plan_no_api_access");
        await AssertStatusAsync(Client(broke.Key), 402, "api_credits_required");
    }

    private static async Task AssertStatusAsync(OpenAIClient client, int status, string code)
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            client.GetChatClient("echo-1").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(status, error.Status);
        Assert.Contains(code, error.Message, StringComparison.Ordinal);
    }

    private OpenAIClient Client(string key) => new(new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(app.Server.BaseAddress, "/v1"),
        Transport = new HttpClientPipelineTransport(app.CreateClient()),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    public void Dispose() => app.Dispose();
}
