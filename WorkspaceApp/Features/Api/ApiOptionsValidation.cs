using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api;

/// <summary>
/// Refuses, at start, limits that would switch a protection off or stall the meter (zero or negative values), each
/// failure naming its setting, e.g. "Api:MeterBatchSize must be a whole number of at least 1 (it is 0)".
/// </summary>
public sealed class ApiOptionsValidation : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new[]
        {
            AtLeastOne(nameof(options.DefaultMaxTokens), options.DefaultMaxTokens),
            AtLeastOne(nameof(options.MaxRequestBytes), options.MaxRequestBytes),
            AtLeastOne(nameof(options.MaxMessageChars), options.MaxMessageChars),
            AtLeastOne(nameof(options.MaxPromptChars), options.MaxPromptChars),
            AtLeastOne(nameof(options.MaxEmbeddingInputs), options.MaxEmbeddingInputs),
            AtLeastOne(nameof(options.RateLimitPermits), options.RateLimitPermits),
            AtLeastOne(nameof(options.WorkspaceRateLimitPermits), options.WorkspaceRateLimitPermits),
            AtLeastOne(nameof(options.RateLimitWindowSeconds), options.RateLimitWindowSeconds),
            AtLeastOne(nameof(options.FailedAuthPermitsPerIp), options.FailedAuthPermitsPerIp),
            AtLeastOne(nameof(options.FailedAuthWindowSeconds), options.FailedAuthWindowSeconds),
            AtLeastOne(nameof(options.MeterBatchSize), options.MeterBatchSize),
            AtLeastOne(nameof(options.HoldTimeoutSeconds), options.HoldTimeoutSeconds),
            AtLeast(ApiOptions.MinInstanceTimeoutSeconds, nameof(options.InstanceTimeoutSeconds), options.InstanceTimeoutSeconds),
            AtLeastOne(nameof(options.KeyCacheSeconds), options.KeyCacheSeconds),
        }.OfType<string>().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? AtLeastOne(string setting, int value) => AtLeast(1, setting, value);

    private static string? AtLeast(int minimum, string setting, int value) =>
        value >= minimum ? null : $"{ApiOptions.Section}:{setting} must be a whole number of at least {minimum} (it is {value}).";
}

/// <summary>Refuses a model whose input or output price is missing, negative or absurd: a price must never mint credits.</summary>
public sealed class PricingOptionsValidation : IValidateOptions<PricingOptions>
{
    // A thousand credits per token: far above any real price, far below what would overflow a cost in micro-credits.
    private const decimal MaxPerMillion = 1_000_000_000m;

    public ValidateOptionsResult Validate(string? name, PricingOptions options)
    {
        var failures = options.Models
            .SelectMany(model => new[]
            {
                Price(model.Key, nameof(ModelPrice.InputPerMillion), model.Value?.InputPerMillion),
                Price(model.Key, nameof(ModelPrice.OutputPerMillion), model.Value?.OutputPerMillion),
            })
            .OfType<string>().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Price(string model, string setting, decimal? value) => value switch
    {
        null => $"{PricingOptions.Section}:Models:{model}:{setting} is missing: set the price in credits per million tokens (0 for free).",
        < 0 or > MaxPerMillion => $"{PricingOptions.Section}:Models:{model}:{setting} must be between 0 and {MaxPerMillion} credits per million tokens (it is {value}).",
        _ => null,
    };
}
