using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Billing;

public enum BillingProvider
{
    /// <summary>The in-app test checkout: test cards, no real money.</summary>
    Test,
    /// <summary>Stripe Checkout and Stripe's webhooks.</summary>
    Stripe,
}

/// <summary>Which payment provider takes payments. Never guessed outside Development: an unset provider stops the app.</summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>Unset means Test in Development and a refusal to start everywhere else.</summary>
    public BillingProvider? Provider { get; set; }

    /// <summary>A pending test-checkout purchase not paid within this time expires.</summary>
    [Range(1, 7 * 24 * 60)]
    public int TestCheckoutExpiryMinutes { get; set; } = 60;
}

/// <summary>Fails the start with one line naming the setting to fix: no provider, or Stripe without its keys.</summary>
internal sealed class BillingOptionsValidator(IOptions<StripeOptions> stripe) : IValidateOptions<BillingOptions>
{
    public const string NotSet = "Billing:Provider is not set: set it to Stripe (with Stripe:SecretKey, Stripe:WebhookSecret "
        + "and Stripe:ProPriceId) to take real payments, or to Test for the in-app test checkout (no real money).";

    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        if (options.Provider is null) return ValidateOptionsResult.Fail(NotSet);
        if (options.Provider != BillingProvider.Stripe) return ValidateOptionsResult.Success;
        var s = stripe.Value;
        var missing = new[]
        {
            (Key: "Stripe:SecretKey", Value: s.SecretKey),
            (Key: "Stripe:WebhookSecret", Value: s.WebhookSecret),
            (Key: "Stripe:ProPriceId", Value: s.ProPriceId),
        }.Where(setting => string.IsNullOrWhiteSpace(setting.Value)).Select(setting => setting.Key).ToList();
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Billing:Provider is Stripe but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set.");
    }
}

/// <summary>The active payment mode, as pages and services ask about it.</summary>
public sealed class BillingMode(IOptions<BillingOptions> options, IHostEnvironment environment)
{
    public BillingProvider Provider => options.Value.Provider ?? throw new InvalidOperationException(BillingOptionsValidator.NotSet);
    public bool IsTest => Provider == BillingProvider.Test;
    public bool IsStripe => Provider == BillingProvider.Stripe;
    public TimeSpan TestCheckoutExpiry => TimeSpan.FromMinutes(options.Value.TestCheckoutExpiryMinutes);

    /// <summary>Outside Development the test checkout is a deploy mistake unless announced on every page.</summary>
    public bool ShowTestBanner => IsTest && !environment.IsDevelopment();
}

/// <summary>Says at startup how payments are taken, so an operator sees test mode in the log.</summary>
internal sealed class BillingModeLog(BillingMode mode, IOptions<StripeOptions> stripe, ILogger<BillingModeLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (mode.IsStripe)
        {
            // The key's prefix only (sk_live_/sk_test_), never the key.
            var live = stripe.Value.SecretKey!.StartsWith("sk_live_", StringComparison.Ordinal);
            logger.LogInformation("Payments: Stripe Checkout ({Mode} key)", live ? "live" : "test");
        }
        else if (mode.ShowTestBanner)
        {
            logger.LogWarning("Payments: TEST MODE (Billing:Provider=Test): the in-app test checkout grants credits and Pro without payment. Set Billing:Provider=Stripe to take real payments.");
        }
        else
        {
            logger.LogInformation("Payments: TEST MODE (in-app test checkout, no real money)");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
