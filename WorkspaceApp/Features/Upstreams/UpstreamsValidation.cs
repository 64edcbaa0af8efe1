using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Upstreams;

/// <summary>
/// Refuses, at start, an upstream the app could not use safely: no valid http(s) BaseUrl, a useless timeout, a model
/// without a price (it would be free) or a model id served twice (which one answers would be a guess).
/// </summary>
public sealed class UpstreamsValidation(IConfiguration configuration) : IValidateOptions<UpstreamsOptions>
{
    public ValidateOptionsResult Validate(string? name, UpstreamsOptions options)
    {
        // The prices straight from the configuration: their own validation reports bad values.
        var priced = configuration.GetSection($"{PricingOptions.Section}:Models").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        var servedBy = EchoModel.BuiltInIds.Append(EchoEmbeddingModel.BuiltInId).ToDictionary(id => id, _ => "the built-in models", StringComparer.OrdinalIgnoreCase);
        foreach (var (upstream, settings) in options.All.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var prefix = $"{UpstreamsOptions.Section}:{upstream}";
            if (!Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                failures.Add($"{prefix}:BaseUrl must be an absolute http(s) URL such as https://api.openai.com/v1 (it is '{settings.BaseUrl}').");
            if (settings.TimeoutSeconds is < 1 or > 3600)
                failures.Add($"{prefix}:TimeoutSeconds must be between 1 and 3600 (it is {settings.TimeoutSeconds}).");
            if (settings.Models.Count == 0)
                failures.Add($"{prefix}:Models is empty: name at least one model, Models:<our id> = <the upstream's id>.");
            foreach (var (model, upstreamId) in settings.Models)
            {
                if (string.IsNullOrWhiteSpace(upstreamId))
                    failures.Add($"{prefix}:Models:{model} is empty: set the model's id at the upstream.");
                if (!priced.Contains(model))
                    failures.Add($"{prefix}:Models:{model} has no price: set {PricingOptions.Section}:Models:{model}:InputPerMillion and :OutputPerMillion.");
                if (!servedBy.TryAdd(model, $"upstream '{upstream}'"))
                    failures.Add($"{prefix}:Models:{model} is already served by {servedBy[model]}: a model id must be served once.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
