using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Api;

/// <summary>Checks a chat completion request before anything is held or charged.</summary>
public static class ChatCompletionValidation
{
    public const int MaxOutputTokens = 16_384;
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    /// <summary>The error for a bad request, or null with the output limit the request may use.</summary>
    public static IResult? Validate(ChatCompletionRequest request, ModelCatalog catalog, ApiOptions limits, out int maxTokens)
    {
        maxTokens = 0;
        if (string.IsNullOrWhiteSpace(request.Model))
            return ApiErrors.InvalidRequest("'model' is required.", "model");
        if (!catalog.TryGet(request.Model, out _, out _) && catalog.TryGetEmbedding(request.Model, out _, out _))
            return ApiErrors.InvalidRequest($"The model '{ApiErrors.Excerpt(request.Model)}' is an embeddings model: use POST /v1/embeddings.", "model");
        if (!catalog.TryGet(request.Model, out _, out _))
            return ApiErrors.InvalidRequest($"The model '{ApiErrors.Excerpt(request.Model)}' does not exist. GET /v1/models lists the models.", "model");
        if (request.Messages is not { Count: > 0 })
            return ApiErrors.InvalidRequest("'messages' must be a non-empty array.", "messages");
        if (request.Messages.Any(m => m is null || m.Content is null || m.Role is null || !Roles.Contains(m.Role)))
            return ApiErrors.InvalidRequest("Every message needs a 'role' (system, developer, user, assistant or tool) and a string 'content'.", "messages");
        if (request.Messages.Any(m => m.Content!.Length > limits.MaxMessageChars))
            return ApiErrors.InvalidRequest($"A message's content is longer than {limits.MaxMessageChars} characters, the limit per message (Api:MaxMessageChars).", "messages");
        if (request.Messages.Sum(m => (long)m.Content!.Length) > limits.MaxPromptChars)
            return ApiErrors.InvalidRequest($"The messages are longer than {limits.MaxPromptChars} characters together, the limit per request (Api:MaxPromptChars).", "messages");

        if (request.Choices is not (null or 1))
            return ApiErrors.InvalidRequest("'n' must be 1: one answer per request.", "n");

        var requested = request.MaxCompletionTokens ?? request.MaxTokens;
        if (requested is < 1 or > MaxOutputTokens)
            return ApiErrors.InvalidRequest($"'max_tokens' must be between 1 and {MaxOutputTokens}.", "max_tokens");
        maxTokens = (int)(requested ?? Math.Min(limits.DefaultMaxTokens, MaxOutputTokens));
        return null;
    }
}
