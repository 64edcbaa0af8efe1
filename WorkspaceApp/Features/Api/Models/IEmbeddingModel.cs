namespace WorkspaceApp.Features.Api.Models;

/// <summary>A model that turns texts into vectors (POST /v1/embeddings).</summary>
public interface IEmbeddingModel : IApiModel
{
    /// <summary>The largest vector the model gives, when it is known here (a built-in model); null: the upstream decides.</summary>
    int? MaxDimensions => null;

    /// <summary>One vector per input, in order; <paramref name="dimensions"/> shortens them when set.</summary>
    Task<EmbeddingAnswer> EmbedAsync(IReadOnlyList<string> inputs, int? dimensions, CancellationToken ct);
}

/// <summary>The vectors; <paramref name="InputTokens"/> is the input as the model counted it, null when it did not say.</summary>
public sealed record EmbeddingAnswer(IReadOnlyList<float[]> Vectors, int? InputTokens = null);
