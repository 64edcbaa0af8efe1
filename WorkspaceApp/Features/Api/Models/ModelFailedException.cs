namespace WorkspaceApp.Features.Api.Models;

/// <summary>
/// A model that could not answer, carrying the OpenAI-shaped error its client gets. The reason is for the log; both
/// are written by the model, which keeps secrets (an upstream's key) out of them.
/// </summary>
public sealed class ModelFailedException(IResult error, string reason, Exception? inner = null) : Exception(reason, inner)
{
    public IResult Error => error;
}
