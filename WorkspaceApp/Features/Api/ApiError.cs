using System.Text.Json.Serialization;

namespace WorkspaceApp.Features.Api;

/// <summary>OpenAI's error body, {"error": {"message", "type", "code"}}, so existing clients surface our errors.</summary>
public sealed record ApiErrorBody([property: JsonPropertyName("error")] ApiErrorDetail Error);

public sealed record ApiErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("param")] string? Param = null);

public static class ApiErrors
{
    public static IResult InvalidApiKey() =>
        Error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided. Pass a workspace API key as 'Authorization: Bearer wsk_...'.");

    public static IResult KeyRevoked() =>
        Error(401, "invalid_request_error", "key_revoked", "This API key was revoked or rotated and no longer works. Use the workspace's current key.");

    public static IResult KeyExpired() =>
        Error(401, "invalid_request_error", "key_expired", "This API key has expired. Generate a new key in Settings > API Keys.");

    public static IResult KeyLimitExceeded(string limit) =>
        Error(402, "insufficient_quota", "key_limit_exceeded", $"This API key has reached its spend limit ({limit}). Raise the key's limit in Settings > API Keys, or use another key.");

    public static IResult PlanNoApiAccess() =>
        Error(403, "permission_error", "plan_no_api_access", "API access needs the Pro plan. Upgrade the workspace in Billing.");

    public static IResult CreditsRequired() =>
        Error(402, "insufficient_quota", "api_credits_required", "The workspace has no API credits yet. Purchase API credits in Billing.");

    public static IResult InsufficientCredits(string balance) =>
        Error(402, "insufficient_quota", "insufficient_credits", $"The credit balance ({balance}) does not cover this request. Add credits in Billing, or lower max_tokens.");

    public static IResult InvalidRequest(string message, string? param = null) =>
        Error(400, "invalid_request_error", "invalid_request", message, param);

    public static IResult TooLarge(int maxBytes) =>
        Error(413, "invalid_request_error", "request_too_large", $"The request body is larger than {maxBytes} bytes.");

    public static IResult RateLimited(string why) =>
        Error(429, "rate_limit_error", "rate_limit_exceeded", $"{why} Retry after the time in the Retry-After header.");

    public static IResult UpstreamFailed() =>
        Error(502, "api_error", "upstream_error", "The model failed to answer. Nothing was charged; please retry.");

    public static IResult UpstreamRejected(string upstreamMessage) =>
        Error(400, "invalid_request_error", "upstream_rejected", $"The model's provider rejected the request: {upstreamMessage}");

    public static IResult UpstreamRateLimited() =>
        Error(429, "rate_limit_error", "upstream_rate_limited", "The model's provider is rate limiting requests. Nothing was charged; retry later.");

    public static IResult UpstreamTimeout() =>
        Error(504, "api_error", "upstream_timeout", "The model's provider did not answer in time. Nothing was charged; please retry.");

    public static IResult ServiceUnavailable() =>
        Error(503, "service_unavailable", "service_unavailable", "The service cannot reach its database right now. Nothing was charged; please retry shortly.");

    /// <summary>At most <paramref name="max"/> characters of a value a client sent, for echoing it in an error.</summary>
    public static string Excerpt(string value, int max = 40) =>
        value.Length <= max ? value : value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)] + "...";

    public static IResult Error(int status, string type, string code, string message, string? param = null) =>
        TypedResults.Json(new ApiErrorBody(new ApiErrorDetail(message, type, code, param)), statusCode: status);
}
