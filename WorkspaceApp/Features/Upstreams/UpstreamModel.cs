using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.Timeout;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Upstreams;

/// <summary>
/// A model served by an OpenAI-compatible upstream: forwards the conversation to {BaseUrl}/chat/completions under the
/// upstream's model id, through the upstream's pooled HttpClient (its resilience handler retries and times out, see
/// <see cref="UpstreamsRegistration"/>). Failures become <see cref="ModelFailedException"/>s with our error codes.
/// </summary>
public sealed class UpstreamModel(
    string id, string upstream, string upstreamModelId, UpstreamOptions options,
    IHttpClientFactory clients, TokenCounter tokens, ILogger<UpstreamModel> logger) : IChatModel
{
    public string Id => id;
    public string OwnedBy => upstream;

    public async Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, CancellationToken ct)
    {
        // The handler's timeout ends the wait for the headers; this one also bounds reading the body.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            using var client = clients.CreateClient(UpstreamsRegistration.ClientName(upstream));
            using var request = new HttpRequestMessage(HttpMethod.Post, options.ChatCompletionsUrl)
            {
                Content = JsonContent.Create(new UpstreamChatRequest(upstreamModelId, messages, maxOutputTokens)),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            if (!response.IsSuccessStatusCode) throw Rejected(response.StatusCode, body);

            using var json = JsonDocument.Parse(body);
            var (content, finish, usage) = UpstreamWire.ParseCompletion(json.RootElement);
            return usage is { } reported
                ? new ChatModelAnswer(content, reported.Completion, finish, reported.Prompt)
                : new ChatModelAnswer(content, tokens.Count(content, ct), finish);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || ex is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw Failed(ApiErrors.UpstreamTimeout(), $"did not answer within {options.TimeoutSeconds} s", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            // A broken connection or an answer that is not a chat completion: the upstream failed, not the client.
            throw Failed(ApiErrors.UpstreamFailed(), $"failed: {ex.GetType().Name}", ex);
        }
    }

    private ModelFailedException Rejected(HttpStatusCode status, string body)
    {
        var code = (int)status;
        if (code == 429) return Failed(ApiErrors.UpstreamRateLimited(), "answered 429");
        if (code >= 500) return Failed(ApiErrors.UpstreamFailed(), $"answered {code}");
        // Some providers quote the key they were sent in their 401 message: it must not travel on.
        var message = UpstreamWire.ErrorMessage(Redact(body), code);
        return Failed(ApiErrors.UpstreamRejected(message), $"answered {code}: {message}");
    }

    private string Redact(string text) =>
        string.IsNullOrEmpty(options.ApiKey) ? text : text.Replace(options.ApiKey, "[redacted]", StringComparison.Ordinal);

    private ModelFailedException Failed(IResult error, string reason, Exception? inner = null)
    {
        // The inner exception is logged by type only: its message can hold the upstream's text.
        logger.LogWarning("Upstream {Upstream} (model {Model}) {Reason} {Exception}", upstream, id, reason, inner?.GetType().Name);
        return new ModelFailedException(error, $"Upstream {upstream} {reason}");
    }
}
