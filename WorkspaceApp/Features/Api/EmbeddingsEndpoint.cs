using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Api;

/// <summary>
/// POST /v1/embeddings: validate, hold the cost of the input as we count it, embed, settle to the input the model
/// reports (never above the hold). The same gates as chat, in the same order: key and plan (the filter), then
/// credits before anything is tokenized.
/// </summary>
public static class EmbeddingsEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http,
        ModelCatalog catalog,
        TokenCounter tokens,
        MeterWriter meter,
        CreditGate gate,
        IOptions<ApiOptions> options,
        ILogger<EmbeddingRequest> logger)
    {
        var (request, bodyError) = await ApiRequestBody.ReadAsync<EmbeddingRequest>(http.Request, options.Value.MaxRequestBytes);
        if (bodyError is not null) return bodyError;
        if (EmbeddingValidation.Validate(request!, catalog, options.Value, out var inputs) is { } invalid) return invalid;

        var caller = ApiKeyAuthentication.Caller(http);
        catalog.TryGetEmbedding(request!.Model!, out var model, out var price);
        // Every input (none is empty) is at least one token: the check that needs no counting.
        if (await gate.RefuseUnaffordableAsync(new UsageEntry(caller.WorkspaceId, caller.ApiKeyId, model.Id, 0, 0, "refused"), price.CostMicros(inputs.Count, 0), inputs.Sum(text => (long)text.Length), http.RequestAborted) is { } unaffordable)
            return unaffordable;

        var inputTokens = inputs.Sum(text => tokens.Count(text, http.RequestAborted));
        var (held, refusal) = await HeldRequest.TakeAsync(meter, gate, caller, model, price, inputTokens, price.CostMicros(inputTokens, 0));
        if (held is null) return refusal!;

        EmbeddingAnswer answer;
        try
        {
            answer = await model.EmbedAsync(inputs, (int?)request.Dimensions, http.RequestAborted);
        }
        catch (Exception ex)
        {
            await held.ReleaseAsync(meter);
            return ChatCompletionsEndpoint.FailureResult(http, ex, model, logger);
        }

        inputTokens = answer.InputTokens ?? inputTokens;
        var settled = await held.SettleAsync(meter, logger, inputTokens, 0);
        HeldRequest.WriteCreditHeaders(http.Response, settled);
        var base64 = request.EncodingFormat == "base64";
        return TypedResults.Json(new EmbeddingResponse("list",
            answer.Vectors.Select((vector, index) => new EmbeddingData("embedding", index, base64 ? Base64(vector) : vector)).ToList(),
            model.Id, new EmbeddingUsage(inputTokens, inputTokens)));
    }

    // OpenAI's base64 form: the float32 values' little-endian bytes (every platform .NET runs on is little-endian).
    private static string Base64(float[] vector) => Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));
}
