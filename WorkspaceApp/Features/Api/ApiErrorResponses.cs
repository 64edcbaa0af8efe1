using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing.Template;

namespace WorkspaceApp.Features.Api;

/// <summary>
/// Keeps every /v1 answer in OpenAI's JSON error shape where the framework would answer with a page: an unknown
/// route (404), a wrong method (405) and an unhandled exception (500, whose message never leaves the server).
/// </summary>
public static class ApiErrorResponses
{
    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/v1");

    /// <summary>Goes after UseStatusCodePages: switches the status code pages off for /v1 and answers 404/405 in JSON.</summary>
    public static void UseWorkspaceApiErrors(this IApplicationBuilder app)
    {
        // In Development the developer exception page sits outside everything and would answer a /v1 fault in HTML:
        // a handler of its own for /v1, inside it, keeps the JSON shape in every environment.
        app.UseWhen(http => IsApiPath(http.Request.Path), api => api.UseExceptionHandler(
            new ExceptionHandlerOptions { ExceptionHandler = ApiExceptionHandler.WriteAsync }));
        app.Use(AnswerInJsonAsync);
    }

    private static async Task AnswerInJsonAsync(HttpContext http, RequestDelegate next)
    {
        if (!IsApiPath(http.Request.Path))
        {
            await next(http);
            return;
        }
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages) statusCodePages.Enabled = false;
        await next(http);
        if (http.Response.HasStarted || http.Response.ContentType is not null) return;

        if (http.Response.StatusCode is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)) return;

        var route = ApiErrors.Excerpt($"{http.Request.Method} {http.Request.Path}", 100);
        var allowed = AllowedMethods(http);
        if (allowed.Count == 0)
        {
            await ApiErrors.Error(404, "invalid_request_error", "unknown_url",
                $"There is no API route {route}. GET /v1/models, POST /v1/chat/completions, POST /v1/embeddings and GET /v1/credits are.").ExecuteAsync(http);
            return;
        }
        http.Response.Headers.Allow = string.Join(", ", allowed);
        await ApiErrors.Error(405, "invalid_request_error", "method_not_allowed",
            $"{route} is not allowed; use {http.Response.Headers.Allow}.").ExecuteAsync(http);
    }

    // Routing answers 405 only when no other endpoint could take the method; the static files' catch-all takes any
    // GET, so GET on a POST-only route ends as 404. The /v1 routes that match the path say which methods it has.
    private static List<string> AllowedMethods(HttpContext http) =>
        http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true
                && new TemplateMatcher(new RouteTemplate(e.RoutePattern), []).TryMatch(http.Request.Path, []))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>An unhandled exception in a /v1 request: logged by the exception handler middleware, answered 500 in JSON.</summary>
public sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // By now the middleware has pointed the request at its error page: the feature keeps the path that failed.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (!ApiErrorResponses.IsApiPath(path)) return false;
        await WriteAsync(httpContext);
        return true;
    }

    public static Task WriteAsync(HttpContext httpContext) => ApiErrors.Error(500, "api_error", "internal_error",
        "The server failed to handle this request. Please retry; if it keeps failing, contact support.").ExecuteAsync(httpContext);
}
