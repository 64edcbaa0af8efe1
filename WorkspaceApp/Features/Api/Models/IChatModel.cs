using System.Runtime.CompilerServices;

namespace WorkspaceApp.Features.Api.Models;

/// <summary>A model behind the API. Built-in models answer locally; an upstream provider can be added by configuration.</summary>
public interface IApiModel
{
    string Id { get; }

    /// <summary>Who serves the model, as /v1/models shows it: "workspaceapp" for built-in models, else the upstream's name.</summary>
    string OwnedBy => "workspaceapp";
}

/// <summary>A model that answers conversations (POST /v1/chat/completions).</summary>
public interface IChatModel : IApiModel
{

    /// <summary>
    /// Answers the conversation with at most <paramref name="maxOutputTokens"/> tokens, with the client's
    /// <paramref name="generation"/> settings where the model takes them.
    /// </summary>
    Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, CancellationToken ct);

    /// <summary>
    /// The same answer piece by piece; the last delta has the finish reason and, if the model counted, the usage.
    /// A built-in model answers at once, so its pieces are its answer cut into words.
    /// </summary>
    async IAsyncEnumerable<ChatModelDelta> StreamAsync(
        IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, [EnumeratorCancellation] CancellationToken ct)
    {
        var answer = await CompleteAsync(messages, maxOutputTokens, generation, ct);
        foreach (var word in System.Text.RegularExpressions.Regex.Split(answer.Content, @"(?<=\s)(?=\S)"))
        {
            ct.ThrowIfCancellationRequested();
            if (word.Length > 0) yield return new ChatModelDelta(word);
        }
        yield return new ChatModelDelta("", answer.FinishReason, answer.InputTokens, answer.OutputTokens);
    }
}

/// <summary>An answer; <paramref name="InputTokens"/> is the prompt as the model counted it, null when it did not say.</summary>
public sealed record ChatModelAnswer(string Content, int OutputTokens, string FinishReason, int? InputTokens = null);

/// <summary>A piece of a streamed answer; the usage figures only on the last one, when the model reported them.</summary>
public sealed record ChatModelDelta(string Content, string? FinishReason = null, int? InputTokens = null, int? OutputTokens = null);
