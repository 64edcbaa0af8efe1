using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Api;

/// <summary>POST /v1/chat/completions: validate, hold the maximum cost, run the model, settle to the real cost (streams: <see cref="ChatCompletionStream"/>).</summary>
public static class ChatCompletionsEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http,
        ModelCatalog catalog,
        TokenCounter tokens,
        MeterWriter meter,
        CreditGate gate,
        IOptions<ApiOptions> options,
        TimeProvider clock,
        ILogger<ChatCompletionRequest> logger)
    {
        var (request, bodyError) = await ApiRequestBody.ReadAsync<ChatCompletionRequest>(http.Request, options.Value.MaxRequestBytes);
        if (bodyError is not null) return bodyError;
        if (ChatCompletionValidation.Validate(request!, catalog, options.Value, out var maxTokens) is { } invalid) return invalid;

        var caller = ApiKeyAuthentication.Caller(http);
        catalog.TryGet(request!.Model!, out var model, out var price);
        var messages = request.Messages!;
        var minimumCost = price.CostMicros(MinimumPromptTokens(messages), maxTokens);
        if (await gate.RefuseUnaffordableAsync(new UsageEntry(caller.WorkspaceId, caller.ApiKeyId, model.Id, 0, 0, "refused"), minimumCost, messages.Sum(m => (long)m.Content!.Length), http.RequestAborted) is { } unaffordable)
            return unaffordable;

        var inputTokens = PromptTokens(messages, tokens, http.RequestAborted);
        var holdMicros = price.CostMicros(inputTokens, maxTokens);

        var (held, refusal) = await HeldRequest.TakeAsync(meter, gate, caller, model, price, inputTokens, holdMicros);
        if (held is null) return refusal!;
        if (request.Stream == true) return await ChatCompletionStream.RunAsync(http, held, model, request, maxTokens, meter, tokens, clock, logger);

        ChatModelAnswer answer;
        try
        {
            answer = await model.CompleteAsync(messages, maxTokens, request.Generation, http.RequestAborted);
        }
        catch (Exception ex)
        {
            // Whatever went wrong upstream (or the client left), the hold goes back in full.
            await held.ReleaseAsync(meter);
            return FailureResult(http, ex, model, logger);
        }

        // The model's own count of the prompt (an upstream's usage) is what it bills; ours stands in when it gave none.
        inputTokens = answer.InputTokens ?? inputTokens;
        var settled = await held.SettleAsync(meter, logger, inputTokens, answer.OutputTokens);

        HeldRequest.WriteCreditHeaders(http.Response, settled);
        var now = clock.GetUtcNow();
        return TypedResults.Json(new ChatCompletionResponse(
            $"chatcmpl-{Guid.NewGuid():N}", "chat.completion", now.ToUnixTimeSeconds(), model.Id,
            [new ChatChoice(0, new ChatMessage("assistant", answer.Content), answer.FinishReason)],
            new ChatUsage(inputTokens, answer.OutputTokens, inputTokens + answer.OutputTokens)));
    }

    /// <summary>The answer to a model that failed before anything was sent: none if the client left, else its error.</summary>
    public static IResult FailureResult(HttpContext http, Exception ex, IApiModel model, ILogger logger)
    {
        if (http.RequestAborted.IsCancellationRequested) return Results.Empty;
        // A model that explains its failure (an upstream's error) has logged it without secrets.
        if (ex is ModelFailedException failed) return failed.Error;
        logger.LogError(ex, "Model {Model} failed", model.Id);
        return ApiErrors.UpstreamFailed();
    }

    // OpenAI's accounting for chat prompts: each message costs its tokens plus 3, and the reply is primed with 3.
    private static int PromptTokens(IReadOnlyList<ChatMessage> messages, TokenCounter tokens, CancellationToken ct) =>
        messages.Sum(m => 3 + tokens.Count(m.Role!, ct) + tokens.Count(m.Content!, ct)) + 3;

    // The same without counting: every role is at least one token, a content may be empty.
    private static int MinimumPromptTokens(IReadOnlyList<ChatMessage> messages) => 4 * messages.Count + 3;
}
