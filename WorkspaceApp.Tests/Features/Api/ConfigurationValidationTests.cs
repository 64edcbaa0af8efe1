using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>A setting that would switch a protection off or mint credits stops the app at start, naming the setting.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("Api:MeterBatchSize", "0")]
    [InlineData("Api:MeterBatchSize", "-5")]
    [InlineData("Api:RateLimitPermits", "0")]
    [InlineData("Api:WorkspaceRateLimitPermits", "0")]
    [InlineData("Api:RateLimitWindowSeconds", "0")]
    [InlineData("Api:FailedAuthPermitsPerIp", "0")]
    [InlineData("Api:HoldTimeoutSeconds", "0")]
    [InlineData("Api:InstanceTimeoutSeconds", "14")]
    [InlineData("App:InstanceId", "two words")]
    [InlineData("Api:MaxRequestBytes", "-1")]
    [InlineData("Api:MaxMessageChars", "0")]
    [InlineData("Api:DefaultMaxTokens", "0")]
    [InlineData("Pricing:Models:echo-1:InputPerMillion", "-2.5")]
    [InlineData("Pricing:Models:echo-1-mini:OutputPerMillion", "-0.000001")]
    [InlineData("Account:AttemptsPerIp", "0")]
    [InlineData("Account:AttemptWindowSeconds", "0")]
    public void A_bad_value_stops_the_app_with_the_settings_name(string setting, string value)
    {
        using var app = new AppFactory().With(setting, value);

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(setting, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_priced_for_input_only_stops_the_app_naming_the_missing_output_price()
    {
        using var app = new AppFactory().With("Pricing:Models:half-priced-1:InputPerMillion", "1");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Pricing:Models:half-priced-1:OutputPerMillion is missing", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_configuration_starts()
    {
        using var app = new AppFactory();
        using var client = app.CreateClient();
        Assert.NotNull(client.BaseAddress);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten)) : error.Message + (error.InnerException is { } inner ? " | " + Flatten(inner) : "");
}
