using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace WorkspaceApp.Features.Billing;

/// <summary>The Stripe.net calls the app makes, in one place (so that only this seam talks to Stripe's servers).</summary>
public interface IStripeFacade
{
    Task<Session> CreateCheckoutSessionAsync(SessionCreateOptions options, string idempotencyKey, CancellationToken ct);
    Task<Session> GetCheckoutSessionAsync(string sessionId, CancellationToken ct);
    Task<Charge> GetChargeAsync(string chargeId, CancellationToken ct);
    Task<Dispute> GetDisputeAsync(string disputeId, CancellationToken ct);
    Task<Subscription> GetSubscriptionAsync(string subscriptionId, CancellationToken ct);
    Task<PaymentIntent> CreatePaymentIntentAsync(PaymentIntentCreateOptions options, string idempotencyKey, CancellationToken ct);
    /// <summary>The payment intent with its payment method expanded (the saved card's last digits).</summary>
    Task<PaymentIntent> GetPaymentIntentAsync(string paymentIntentId, CancellationToken ct);
}

internal sealed class StripeFacade(IOptions<StripeOptions> options) : IStripeFacade
{
    private readonly Lazy<StripeClient> client = new(() =>
    {
        var o = options.Value;
        return new StripeClient(apiKey: o.SecretKey, apiBase: string.IsNullOrWhiteSpace(o.ApiBase) ? null : o.ApiBase);
    });

    public Task<Session> CreateCheckoutSessionAsync(SessionCreateOptions options, string idempotencyKey, CancellationToken ct) =>
        new SessionService(client.Value).CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, ct);

    public Task<Session> GetCheckoutSessionAsync(string sessionId, CancellationToken ct) =>
        new SessionService(client.Value).GetAsync(sessionId, cancellationToken: ct);

    public Task<Charge> GetChargeAsync(string chargeId, CancellationToken ct) =>
        new ChargeService(client.Value).GetAsync(chargeId, cancellationToken: ct);

    public Task<Dispute> GetDisputeAsync(string disputeId, CancellationToken ct) =>
        new DisputeService(client.Value).GetAsync(disputeId, cancellationToken: ct);

    public Task<Subscription> GetSubscriptionAsync(string subscriptionId, CancellationToken ct) =>
        new SubscriptionService(client.Value).GetAsync(subscriptionId, cancellationToken: ct);

    public Task<PaymentIntent> CreatePaymentIntentAsync(PaymentIntentCreateOptions options, string idempotencyKey, CancellationToken ct) =>
        new PaymentIntentService(client.Value).CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, ct);

    public Task<PaymentIntent> GetPaymentIntentAsync(string paymentIntentId, CancellationToken ct) =>
        new PaymentIntentService(client.Value).GetAsync(paymentIntentId, new PaymentIntentGetOptions { Expand = ["payment_method"] }, cancellationToken: ct);
}
