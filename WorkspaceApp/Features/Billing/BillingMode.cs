using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Billing;

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
        else if (!string.IsNullOrWhiteSpace(stripe.Value.SecretKey))
        {
            logger.LogWarning("Payments: TEST MODE although Stripe keys are set: Billing:Provider is Test, so no payment goes through Stripe.");
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
