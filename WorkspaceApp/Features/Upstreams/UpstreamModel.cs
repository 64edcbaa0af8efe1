using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Polly.Timeout;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Upstreams;

/// <summary>
/// A model served by an OpenAI-compatible upstream: forwards the conversation to {BaseUrl}/chat/completions (and texts
/// to {BaseUrl}/embeddings, see UpstreamModel.Embeddings.cs) under the upstream's model id, through the upstream's pooled HttpClient (its resilience handler retries and times out, see
/// <see cref="UpstreamsRegistration"/>). Failures become <see cref="ModelFailedException"/>s with our error codes.
/// </summary>
public sealed partial class UpstreamModel(
    string id, string upstream, string upstreamModelId, UpstreamOptions options,
    IHttpClientFactory clients, TokenCounter tokens, ILogger<UpstreamModel> logger) : IChatModel, IEmbeddingModel
{
    private TimeSpan Timeout => TimeSpan.FromSeconds(options.TimeoutSeconds);

    public string Id => id;
    public string OwnedBy => upstream;

    public async Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, CancellationToken ct)
    {
        // The handler's timeout ends the wait for the headers; this one also bounds reading the body.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        return await Guard(async () =>
        {
            using var response = await SendAsync(options.ChatCompletionsUrl, new UpstreamChatRequest(upstreamModelId, messages, maxOutputTokens) { Generation = new(generation.Values) }, deadline.Token);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(deadline.Token), cancellationToken: deadline.Token);
            var (content, finish, usage) = UpstreamWire.ParseCompletion(json.RootElement);
            return usage is { } reported
                ? new ChatModelAnswer(content, reported.Completion, finish, reported.Prompt)
                : new ChatModelAnswer(content, tokens.Count(content, ct), finish);
        }, ct);
    }

    /// <summary>
    /// Streams from the upstream, always asking it for the usage (the client may not have). The timeout applies to
    /// the wait for every piece, so a long answer that keeps coming is never cut.
    /// </summary>
    public async IAsyncEnumerable<ChatModelDelta> StreamAsync(
        IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, [EnumeratorCancellation] CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        var request = new UpstreamChatRequest(upstreamModelId, messages, maxOutputTokens, Stream: true, StreamOptions: new StreamOptions(IncludeUsage: true))
        {
            Generation = new(generation.Values),
        };
        using var response = await Guard(() => SendAsync(options.ChatCompletionsUrl, request, deadline.Token), ct);
        using var reader = new StreamReader(await Guard(() => response.Content.ReadAsStreamAsync(deadline.Token), ct));
        while (true)
        {
            deadline.CancelAfter(Timeout);
            var line = await Guard(() => reader.ReadLineAsync(deadline.Token).AsTask(), ct)
                ?? throw Failed(ApiErrors.UpstreamFailed(), "ended the stream before [DONE]");
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue; // comments, event names, blank lines
            var data = line[5..].Trim();
            if (data == "[DONE]") yield break;
            yield return await Guard(() => Task.FromResult(ParseChunk(data)), ct);
        }
    }

    private ChatModelDelta ParseChunk(string data)
    {
        using var json = JsonDocument.Parse(data);
        return UpstreamWire.ParseChunk(json.RootElement)
            ?? throw Failed(ApiErrors.UpstreamFailed(), $"sent an error event: {UpstreamWire.ErrorMessage(Redact(data), 200)}");
    }

    private async Task<HttpResponseMessage> SendAsync<T>(Uri url, T body, CancellationToken ct)
    {
        using var client = clients.CreateClient(UpstreamsRegistration.ClientName(upstream));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode) return response;
        using (response) throw Rejected(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Runs one step of talking to the upstream, turning what can go wrong into our errors.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> step, CancellationToken ct)
    {
        try
        {
            return await step();
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || ex is OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw Failed(ApiErrors.UpstreamTimeout(), $"did not answer within {options.TimeoutSeconds} s", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or InvalidOperationException or FormatException or KeyNotFoundException or IndexOutOfRangeException)
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
