using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Api;

/// <summary>
/// "stream": true: the answer as server-sent "chat.completion.chunk" events, then the usage chunk (when the client
/// asked with stream_options.include_usage), the credit figures as SSE comments (the headers are gone by then) and
/// "data: [DONE]". Written by hand rather than with TypedResults.ServerSentEvents: the hold must be settled between
/// the last chunk and [DONE], and a failure after the first chunk becomes an error event.
/// A model that fails before its first piece gets the ordinary JSON error and nothing is charged; once pieces went
/// out, a client that leaves or an upstream that breaks off is charged the input plus the output received so far.
/// </summary>
public static class ChatCompletionStream
{
    public static async Task<IResult> RunAsync(HttpContext http, HeldRequest held, IChatModel model, ChatCompletionRequest request, int maxTokens,
        MeterWriter meter, TokenCounter tokens, TimeProvider clock, ILogger logger)
    {
        var ct = http.RequestAborted;
        var pieces = model.StreamAsync(request.Messages!, maxTokens, request.Generation, ct).GetAsyncEnumerator(ct);
        try
        {
            bool any;
            try
            {
                any = await pieces.MoveNextAsync();
            }
            catch (Exception ex)
            {
                await held.ReleaseAsync(meter);
                return ChatCompletionsEndpoint.FailureResult(http, ex, held.Model, logger);
            }

            var writer = new ChunkWriter(http, held.Model.Id, clock.GetUtcNow().ToUnixTimeSeconds());
            await writer.StartAsync();
            var received = new StringBuilder();
            (int? Input, int? Output) reported = (null, null);
            try
            {
                for (var more = any; more; more = await pieces.MoveNextAsync())
                {
                    var piece = pieces.Current;
                    received.Append(piece.Content);
                    if (piece.OutputTokens is not null) reported = (piece.InputTokens, piece.OutputTokens);
                    await writer.DeltaAsync(piece.Content, piece.FinishReason);
                }
            }
            catch (Exception ex)
            {
                // Whatever was produced was delivered (or on its way): it is charged, never more than the hold.
                var status = ct.IsCancellationRequested ? "client_aborted" : "upstream_interrupted";
                await held.SettleAsync(meter, logger, held.InputTokens, tokens.Count(received.ToString(), CancellationToken.None), status);
                if (!ct.IsCancellationRequested) await writer.ErrorAsync(ex, held.Model, logger);
                return Results.Empty;
            }

            var input = reported.Input ?? held.InputTokens;
            var output = reported.Output ?? tokens.Count(received.ToString(), CancellationToken.None);
            var settled = await held.SettleAsync(meter, logger, input, output);
            if (request.StreamOptions?.IncludeUsage == true) await writer.UsageAsync(new ChatUsage(input, output, input + output));
            await writer.DoneAsync(settled);
            return Results.Empty;
        }
        finally
        {
            await pieces.DisposeAsync();
        }
    }

    /// <summary>Writes the events of one streamed answer, each flushed at once.</summary>
    private sealed class ChunkWriter(HttpContext http, string model, long created)
    {
        private readonly string id = $"chatcmpl-{Guid.NewGuid():N}";
        private bool roleSent;

        public Task StartAsync()
        {
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            return http.Response.Body.FlushAsync(http.RequestAborted);
        }

        public Task DeltaAsync(string content, string? finishReason)
        {
            // A piece that only carried usage is not an event of its own: the usage chunk comes at the end.
            if (content.Length == 0 && finishReason is null && roleSent) return Task.CompletedTask;
            var delta = new ChunkDelta(roleSent ? null : "assistant", content.Length > 0 || !roleSent ? content : null);
            roleSent = true;
            return DataAsync(Chunk([new ChunkChoice(0, delta, finishReason)], null));
        }

        public Task UsageAsync(ChatUsage usage) => DataAsync(Chunk([], usage));

        public async Task DoneAsync(SettleResult settled)
        {
            await WriteAsync($": X-Credits-Charged {Money.FormatExact(settled.ChargedMicros)}\n: X-Credits-Remaining {Money.FormatExact(settled.BalanceMicros)}\n\ndata: [DONE]\n\n");
        }

        /// <summary>OpenAI's error event: a data line with the error object, no [DONE] after it.</summary>
        public async Task ErrorAsync(Exception ex, IApiModel model, ILogger logger)
        {
            if (ex is not ModelFailedException) logger.LogError(ex, "Model {Model} failed mid-stream", model.Id);
            var detail = ex is ModelFailedException { Detail: { } known } ? known
                : new ApiErrorDetail("The model failed while answering; you were charged for the part received.", "api_error", "upstream_error");
            await DataAsync(JsonSerializer.Serialize(new ApiErrorBody(detail)));
        }

        private string Chunk(IReadOnlyList<ChunkChoice> choices, ChatUsage? usage) =>
            JsonSerializer.Serialize(new ChatCompletionChunk(id, "chat.completion.chunk", created, model, choices, usage));

        private Task DataAsync(string json) => WriteAsync($"data: {json}\n\n");

        private async Task WriteAsync(string text)
        {
            await http.Response.WriteAsync(text, http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }
}
