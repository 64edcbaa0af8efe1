using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkspaceApp.Features.Api.Models;

// The subset of OpenAI's embeddings schema this API accepts and returns.

/// <summary>"input" stays raw JSON: a string or an array of strings, checked by EmbeddingValidation.</summary>
public sealed record EmbeddingRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("input")] JsonElement Input,
    [property: JsonPropertyName("encoding_format")] string? EncodingFormat = null,
    [property: JsonPropertyName("dimensions")] long? Dimensions = null,
    [property: JsonPropertyName("user")] string? User = null);

public sealed record EmbeddingResponse(
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("data")] IReadOnlyList<EmbeddingData> Data,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("usage")] EmbeddingUsage Usage);

/// <summary>One vector: an array of floats, or (encoding_format "base64") its little-endian float32 bytes in base64.</summary>
public sealed record EmbeddingData(
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("embedding")] object Embedding);

public sealed record EmbeddingUsage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens);
