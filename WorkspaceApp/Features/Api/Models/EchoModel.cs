namespace WorkspaceApp.Features.Api.Models;

/// <summary>
/// Deterministic built-in models that need no outside service: "echo-1" answers with the last user message,
/// "echo-1-mini" with its first sentence. Both stop at max_tokens like a real model ("length").
/// </summary>
public sealed class EchoModel(string id, bool firstSentenceOnly, TokenCounter tokens) : IChatModel
{
    public static readonly IReadOnlyList<string> BuiltInIds = ["echo-1", "echo-1-mini"];

    public string Id => id;

    public Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, CancellationToken ct)
    {
        var text = messages.LastOrDefault(m => m.Role == "user")?.Content ?? "";
        if (firstSentenceOnly && text.IndexOfAny(['.', '!', '?']) is var end and >= 0) text = text[..(end + 1)];

        var answer = tokens.Truncate(text, maxOutputTokens, ct);
        var finish = answer.Length < text.Length ? "length" : "stop";
        return Task.FromResult(new ChatModelAnswer(answer, tokens.Count(answer, ct), finish));
    }
}
