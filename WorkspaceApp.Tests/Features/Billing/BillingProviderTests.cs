using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>Billing:Provider is chosen on purpose: outside Development a missing or half configuration stops the app.</summary>
public sealed class BillingProviderTests
{
    [Theory]
    [InlineData("Billing:Provider is not set", "environment=Production")]
    [InlineData("Billing:Provider is not set", "environment=Staging", "Stripe:SecretKey=sk_test_x", "Stripe:WebhookSecret=whsec_x", "Stripe:ProPriceId=price_x")]
    [InlineData("Stripe:WebhookSecret is not set", "Billing:Provider=Stripe", "Stripe:SecretKey=sk_test_x", "Stripe:ProPriceId=price_x")]
    [InlineData("Stripe:SecretKey is not set", "Billing:Provider=Stripe", "Stripe:WebhookSecret=whsec_x", "Stripe:ProPriceId=price_x")]
    [InlineData("Stripe:ProPriceId is not set", "Billing:Provider=Stripe", "Stripe:SecretKey=sk_test_x", "Stripe:WebhookSecret=whsec_x")]
    [InlineData("Stripe:SecretKey, Stripe:WebhookSecret, Stripe:ProPriceId are not set", "Billing:Provider=Stripe")]
    [InlineData("Billing:Provider", "Billing:Provider=Paypal")]
    [InlineData("TestCheckoutExpiryMinutes", "Billing:TestCheckoutExpiryMinutes=0")]
    public void A_missing_or_half_configuration_stops_the_app_naming_the_setting(string expected, params string[] settings)
    {
        using var app = Configure(new AppFactory().With("Billing:Provider", null), settings);

        var refused = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public async Task Unset_in_development_is_the_test_checkout_without_a_banner()
    {
        using var app = Configure(new LoggedAppFactory(), "environment=Development", "Billing:Provider=");

        var mode = app.Services.GetRequiredService<BillingMode>();
        using var client = app.CreateClient();
        var login = await client.GetStringAsync("/Account/Login");

        Assert.Equal((BillingProvider.Test, false), (mode.Provider, mode.ShowTestBanner));
        Assert.DoesNotContain("test-mode-banner", login, StringComparison.Ordinal);
        Assert.Contains(app.Logs, l => l.Level == LogLevel.Information && l.Message.StartsWith("Payments: TEST MODE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_outside_development_starts_with_a_warning_and_the_banner()
    {
        using var app = Configure(new LoggedAppFactory(), "environment=Production", "Billing:Provider=Test");

        using var client = app.CreateClient();
        var login = await client.GetStringAsync("/Account/Login");

        Assert.Contains("data-testid=\"test-mode-banner\"", login, StringComparison.Ordinal);
        Assert.Contains(app.Logs, l => l.Level == LogLevel.Warning && l.Message.StartsWith("Payments: TEST MODE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stripe_is_logged_without_its_key()
    {
        await using var stripe = await FakeStripe.StartAsync();
        using var app = Configure(new LoggedAppFactory(), "environment=Production", "Billing:Provider=Stripe",
            $"Stripe:SecretKey={FakeStripe.SecretKey}", $"Stripe:WebhookSecret={FakeStripe.WebhookSecret}", "Stripe:ProPriceId=price_x");

        Assert.True(app.Services.GetRequiredService<BillingMode>().IsStripe);
        Assert.Contains(app.Logs, l => l.Message == "Payments: Stripe Checkout (test key)");
        Assert.DoesNotContain(app.Logs, l => l.Message.Contains(FakeStripe.SecretKey, StringComparison.Ordinal)
            || l.Message.Contains(FakeStripe.WebhookSecret, StringComparison.Ordinal));
    }

    private static T Configure<T>(T app, params string[] settings) where T : AppFactory
    {
        foreach (var setting in settings)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            app.With(key, value.Length == 0 ? null : value);
        }
        return app;
    }

    /// <summary>The app with its log lines kept for the test.</summary>
    private sealed class LoggedAppFactory : AppFactory, ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> logs = new();

        public IReadOnlyCollection<(LogLevel Level, string Message)> Logs => logs;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(this));
        }

        public ILogger CreateLogger(string categoryName) => new Logger(logs);

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
