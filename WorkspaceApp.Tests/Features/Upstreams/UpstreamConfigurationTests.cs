using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>An upstream the app could not serve safely stops it at start, naming the setting.</summary>
public sealed class UpstreamConfigurationTests
{
    private static AppFactory Upstream(string name = "local", string model = "llama-test", string? baseUrl = "http://127.0.0.1:11434/v1", bool priced = true)
    {
        var app = new AppFactory().With($"Upstreams:{name}:BaseUrl", baseUrl).With($"Upstreams:{name}:Models:{model}", "llama3.2:1b");
        return priced ? app.With($"Pricing:Models:{model}:InputPerMillion", "0.1").With($"Pricing:Models:{model}:OutputPerMillion", "0.2") : app;
    }

    [Fact]
    public void A_model_without_a_price_stops_the_app() =>
        AssertStops(Upstream(priced: false), "Upstreams:local:Models:llama-test has no price: set Pricing:Models:llama-test:InputPerMillion");

    [Fact]
    public void A_model_served_by_two_upstreams_stops_the_app() =>
        AssertStops(Upstream().With("Upstreams:other:BaseUrl", "https://example.com/v1").With("Upstreams:other:Models:llama-test", "x"),
            "Upstreams:other:Models:llama-test is already served by upstream 'local'");

    [Fact]
    public void An_upstream_model_named_like_a_built_in_one_stops_the_app() =>
        AssertStops(Upstream(model: "echo-1"), "Upstreams:local:Models:echo-1 is already served by the built-in models");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("localhost:11434/v1")]
    [InlineData("ftp://example.com/v1")]
    public void A_missing_or_invalid_BaseUrl_stops_the_app(string? baseUrl) =>
        AssertStops(Upstream(baseUrl: baseUrl).With("Upstreams:local:ApiKey", "sk-x"), "Upstreams:local:BaseUrl must be an absolute http(s) URL");

    [Fact]
    public void A_zero_timeout_stops_the_app() =>
        AssertStops(Upstream().With("Upstreams:local:TimeoutSeconds", "0"), "Upstreams:local:TimeoutSeconds must be between 1 and 3600");

    [Fact]
    public void An_upstream_without_models_stops_the_app() =>
        AssertStops(new AppFactory().With("Upstreams:empty:BaseUrl", "https://example.com/v1"), "Upstreams:empty:Models is empty");

    [Fact]
    public void A_valid_upstream_starts_and_is_listed()
    {
        using var app = Upstream();
        using var client = app.CreateClient();
        Assert.NotNull(client.BaseAddress);
    }

    private static void AssertStops(AppFactory app, string message)
    {
        using (app)
        {
            var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
            Assert.Contains(message, Flatten(error), StringComparison.Ordinal);
        }
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten)) : error.Message + (error.InnerException is { } inner ? " | " + Flatten(inner) : "");
}
