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
