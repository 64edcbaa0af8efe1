using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;

namespace WorkspaceApp.Features.Api;

/// <summary>
/// While the database is out of reach (restarting, refusing connections, SQLite busy), /v1 answers 503
/// service_unavailable in OpenAI's shape with Retry-After, instead of a 500: nothing was charged, and retrying is right.
/// </summary>
public sealed class UnavailableFilter(ILogger<UnavailableFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is MeterUnavailableException || ex.IsUnavailable())
        {
            logger.LogWarning("{Path} answered 503: the database is unavailable ({Error})", context.HttpContext.Request.Path, ex.GetBaseException().Message);
            context.HttpContext.Response.Headers.RetryAfter = "5";
            return ApiErrors.ServiceUnavailable();
        }
    }
}
