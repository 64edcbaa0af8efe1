namespace WorkspaceApp.Features.Api.Models;

/// <summary>A model behind the API. Built-in models answer locally; an upstream provider can be added by configuration.</summary>
public interface IChatModel
{
    string Id { get; }

    /// <summary>Who serves the model, as /v1/models shows it: "workspaceapp" for built-in models, else the upstream's name.</summary>
    string OwnedBy => "workspaceapp";

    /// <summary>Answers the conversation with at most <paramref name="maxOutputTokens"/> tokens.</summary>
    Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, CancellationToken ct);
}

/// <summary>An answer; <paramref name="InputTokens"/> is the prompt as the model counted it, null when it did not say.</summary>
public sealed record ChatModelAnswer(string Content, int OutputTokens, string FinishReason, int? InputTokens = null);
