namespace WorkspaceApp.Features.Api.Models;

/// <summary>A model behind the API. Built-in models answer locally; an upstream provider can be added by configuration.</summary>
public interface IChatModel
{
    string Id { get; }

    /// <summary>Answers the conversation with at most <paramref name="maxOutputTokens"/> tokens.</summary>
    Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, CancellationToken ct);
}

public sealed record ChatModelAnswer(string Content, int OutputTokens, string FinishReason);
