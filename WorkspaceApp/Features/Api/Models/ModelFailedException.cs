namespace WorkspaceApp.Features.Api.Models;

/// <summary>
/// A model that could not answer, carrying the OpenAI-shaped error its client gets. The reason is for the log; both
/// are written by the model, which keeps secrets (an upstream's key) out of them.
/// </summary>
public sealed class ModelFailedException(IResult error, string reason, Exception? inner = null) : Exception(reason, inner)
{
    public IResult Error => error;

    /// <summary>The error object itself, for an error event in a stream whose status was already sent.</summary>
    public ApiErrorDetail? Detail => (error as Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ApiErrorBody>)?.Value?.Error;
}
