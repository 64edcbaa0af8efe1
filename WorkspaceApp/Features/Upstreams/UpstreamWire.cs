using System.Text.Json;
using System.Text.Json.Serialization;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Upstreams;

/// <summary>What is sent to an upstream: the conversation under the upstream's model id, and the client's generation settings.</summary>
public sealed record UpstreamChatRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages,
    [property: JsonPropertyName("max_tokens")] int MaxTokens,
    [property: JsonPropertyName("stream"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Stream = null,
    [property: JsonPropertyName("stream_options"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StreamOptions? StreamOptions = null)
{
    /// <summary>Written as top-level fields (temperature, stop, ...): see GenerationOptions for which.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Generation { get; init; }
}

/// <summary>Texts to embed, always asked for as floats (not every provider speaks base64; we encode it ourselves).</summary>
public sealed record UpstreamEmbeddingRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input")] IReadOnlyList<string> Input,
    [property: JsonPropertyName("dimensions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Dimensions,
    [property: JsonPropertyName("encoding_format")] string EncodingFormat = "float");

/// <summary>Reads the parts of an upstream's answer that matter here; anything else in it is ignored.</summary>
public static class UpstreamWire
{
    /// <summary>The first choice's text and finish reason, and the usage the upstream reported (null: none, or nonsense).</summary>
    public static (string Content, string FinishReason, (int Prompt, int Completion)? Usage) ParseCompletion(JsonElement root)
    {
        var choice = root.GetProperty("choices")[0];
        var content = choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var text)
            && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
        var finish = choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString()! : "stop";
        return (content, finish, Usage(root));
    }

    /// <summary>
    /// One "chat.completion.chunk" of a stream: its text, finish reason and usage (the usage chunk has no choices).
    /// Null for an error event, which the caller turns into a failure.
    /// </summary>
    public static ChatModelDelta? ParseChunk(JsonElement root)
    {
        if (root.TryGetProperty("error", out _)) return null;
        var (content, finish) = ("", (string?)null);
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String)
                content = text.GetString()!;
            if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                finish = reason.GetString();
        }
        var usage = Usage(root);
        return new ChatModelDelta(content, finish, usage?.Item1, usage?.Item2);
    }

    /// <summary>
    /// The vectors of an embeddings answer in input order, and the prompt tokens it reported; an answer with another
    /// number of vectors than texts sent is no answer (InvalidOperationException, which the model treats as a failure).
    /// </summary>
    public static (IReadOnlyList<float[]> Vectors, int? PromptTokens) ParseEmbeddings(JsonElement root, int expected)
    {
        var data = root.GetProperty("data").EnumerateArray()
            .Select((item, position) => (Index: item.TryGetProperty("index", out var index) ? index.GetInt32() : position,
                Vector: item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()))
            .OrderBy(item => item.Index).ToList();
        if (data.Count != expected || data.Select(d => d.Index).Distinct().Count() != expected)
            throw new InvalidOperationException($"expected {expected} vectors, got {data.Count}");
        var prompt = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object ? Count(usage, "prompt_tokens") : null;
        return (data.Select(d => d.Vector).ToList(), prompt);
    }

    private static (int, int)? Usage(JsonElement root) =>
        root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
        && Count(usage, "prompt_tokens") is { } prompt && Count(usage, "completion_tokens") is { } completion
            ? (prompt, completion) : null;

    // A count the upstream got wrong (negative, fractional, not a number) is no count: the tokenizer counts instead.
    private static int? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) && n >= 0
            ? (int)Math.Min(n, int.MaxValue) : null;

    /// <summary>The upstream's own error message (OpenAI's {"error":{"message"}} or plain text), at most 300 characters.</summary>
    public static string ErrorMessage(string body, int status)
    {
        var message = body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error))
            {
                message = error.ValueKind == JsonValueKind.String ? error.GetString()!
                    : error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : body;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the message.
        }
        message = string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return message.Length == 0 ? $"HTTP {status}" : Api.ApiErrors.Excerpt(message, 300);
    }
}
