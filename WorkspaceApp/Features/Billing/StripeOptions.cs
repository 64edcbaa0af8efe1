namespace WorkspaceApp.Features.Billing;

/// <summary>Stripe settings, required when Billing:Provider is Stripe (see <see cref="BillingOptionsValidator"/>).</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    public string? SecretKey { get; set; }
    public string? WebhookSecret { get; set; }
    /// <summary>Another base URL for Stripe's API (tests point it at a local fake).</summary>
    public string? ApiBase { get; set; }
    /// <summary>The recurring Price of the Pro plan, for Checkout in subscription mode.</summary>
    public string? ProPriceId { get; set; }
}
