using System.Text.Json;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Api;

/// <summary>Checks an embeddings request before anything is held or charged.</summary>
public static class EmbeddingValidation
{
    public static readonly IReadOnlyList<string> EncodingFormats = ["float", "base64"];

    /// <summary>The error for a bad request, or null with the texts to embed.</summary>
    public static IResult? Validate(EmbeddingRequest request, ModelCatalog catalog, ApiOptions limits, out IReadOnlyList<string> inputs)
    {
        inputs = [];
        if (string.IsNullOrWhiteSpace(request.Model))
            return ApiErrors.InvalidRequest("'model' is required.", "model");
        if (!catalog.TryGetEmbedding(request.Model, out var model, out _))
            return ApiErrors.InvalidRequest($"The model '{ApiErrors.Excerpt(request.Model)}' is not an embeddings model here. GET /v1/models lists the models.", "model");
        if (Texts(request.Input) is not { } texts)
            return ApiErrors.InvalidRequest("'input' must be a string or an array of strings (token arrays are not accepted).", "input");
        if (texts.Count == 0 || texts.Count > limits.MaxEmbeddingInputs)
            return ApiErrors.InvalidRequest($"'input' must hold between 1 and {limits.MaxEmbeddingInputs} texts (Api:MaxEmbeddingInputs).", "input");
        if (texts.Any(t => t.Length == 0))
            return ApiErrors.InvalidRequest("'input' must not contain an empty string.", "input");
        if (texts.Any(t => t.Length > limits.MaxMessageChars))
            return ApiErrors.InvalidRequest($"An input is longer than {limits.MaxMessageChars} characters, the limit per text (Api:MaxMessageChars).", "input");
        if (texts.Sum(t => (long)t.Length) > limits.MaxPromptChars)
            return ApiErrors.InvalidRequest($"The inputs are longer than {limits.MaxPromptChars} characters together, the limit per request (Api:MaxPromptChars).", "input");
        if (request.EncodingFormat is { } format && !EncodingFormats.Contains(format))
            return ApiErrors.InvalidRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
        var most = model.MaxDimensions ?? 65_536;
        if (request.Dimensions is { } dimensions && (dimensions < 1 || dimensions > most))
            return ApiErrors.InvalidRequest($"'dimensions' must be between 1 and {most} for this model.", "dimensions");
        inputs = texts;
        return null;
    }

    private static List<string>? Texts(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.String => [input.GetString()!],
        JsonValueKind.Array when input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            input.EnumerateArray().Select(e => e.GetString()!).ToList(),
        _ => null,
    };
}
