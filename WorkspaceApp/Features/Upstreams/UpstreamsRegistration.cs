using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Upstreams;

public static class UpstreamsRegistration
{
    /// <summary>A Retry-After longer than this is the upstream's answer to pass on (429), not a wait worth the client's time.</summary>
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(2);

    public static string ClientName(string upstream) => $"upstream:{upstream}";

    /// <summary>
    /// Every configured upstream becomes a named HttpClient (pooled, with its key and resilience handler) and each of
    /// its models an <see cref="IChatModel"/> and <see cref="IEmbeddingModel"/>. The clients and models come from the configuration as it is at start;
    /// the same configuration is validated before the app serves anything.
    /// </summary>
    public static void AddUpstreams(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<UpstreamsOptions>()
            .Configure<IConfiguration>((options, config) => config.GetSection(UpstreamsOptions.Section).Bind(options.All))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<UpstreamsOptions>, UpstreamsValidation>();

        var configured = new Dictionary<string, UpstreamOptions>(StringComparer.OrdinalIgnoreCase);
        builder.Configuration.GetSection(UpstreamsOptions.Section).Bind(configured);
        foreach (var (name, settings) in configured)
        {
            builder.Services.AddHttpClient(ClientName(name), (sp, client) =>
                {
                    var upstream = Settings(sp, name);
                    client.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler and the model time out
                    if (!string.IsNullOrEmpty(upstream.ApiKey))
                        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", upstream.ApiKey);
                })
                .AddResilienceHandler("upstream", (pipeline, context) => Resilience(pipeline, Settings(context.ServiceProvider, name)));
            foreach (var model in settings.Models.Keys)
            {
                // One instance serves both endpoints: which of them the model answers is the upstream's business.
                var key = $"{name}/{model}";
                builder.Services.AddKeyedSingleton(key, (sp, _) => ActivatorUtilities.CreateInstance<UpstreamModel>(sp,
                    model, name, Settings(sp, name).Models[model], Settings(sp, name)));
                builder.Services.AddSingleton<IChatModel>(sp => sp.GetRequiredKeyedService<UpstreamModel>(key));
                builder.Services.AddSingleton<IEmbeddingModel>(sp => sp.GetRequiredKeyedService<UpstreamModel>(key));
            }
        }
    }

    private static UpstreamOptions Settings(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptions<UpstreamsOptions>>().Value.All[name];

    /// <summary>
    /// Outer: the upstream's timeout over all attempts. Inner: retries only where the request surely did no work
    /// upstream (the connection failed) or the upstream asked for a short wait (429/503 with Retry-After).
    /// </summary>
    private static void Resilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, UpstreamOptions upstream)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(upstream.TimeoutSeconds));
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
        });
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } } => true,
        { Result: { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } response } =>
            RetryAfter(response) is { } wait && wait <= LongestRetryAfter,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };
}
