using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace WorkspaceApp.Features.Billing;

/// <summary>The Stripe.net calls the app makes, in one place (so that only this seam talks to Stripe's servers).</summary>
public interface IStripeFacade
{
    Task<Session> CreateCheckoutSessionAsync(SessionCreateOptions options, string idempotencyKey, CancellationToken ct);
    Task<Session> GetCheckoutSessionAsync(string sessionId, CancellationToken ct);
}

internal sealed class StripeFacade(IOptions<StripeOptions> options) : IStripeFacade
{
    private readonly Lazy<SessionService> sessions = new(() =>
    {
        var o = options.Value;
        var client = new StripeClient(apiKey: o.SecretKey, apiBase: string.IsNullOrWhiteSpace(o.ApiBase) ? null : o.ApiBase);
        return new SessionService(client);
    });

    public Task<Session> CreateCheckoutSessionAsync(SessionCreateOptions options, string idempotencyKey, CancellationToken ct) =>
        sessions.Value.CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, ct);

    public Task<Session> GetCheckoutSessionAsync(string sessionId, CancellationToken ct) =>
        sessions.Value.GetAsync(sessionId, cancellationToken: ct);
}
