using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace WorkspaceApp.Features.Billing;

/// <summary>POST /webhooks/stripe: verifies Stripe's signature over the raw body, then acts on Checkout events.</summary>
internal static class StripeWebhookEndpoint
{
    /// <summary>Stripe's own default: a signature older than five minutes is a replay.</summary>
    private const long ToleranceSeconds = 300;

    public static async Task<Results<Ok, BadRequest<string>, NotFound>> HandleAsync(
        HttpRequest request, IOptions<StripeOptions> options, IServiceProvider services, ILogger<StripeFulfilment> logger, CancellationToken ct)
    {
        if (!options.Value.IsConfigured)
        {
            // A plain 404 for callers, not the app's HTML not-found page.
            if (request.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return TypedResults.NotFound();
        }

        var signature = request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature)) return TypedResults.BadRequest("Missing Stripe-Signature header.");
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(ct);
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(json, signature, options.Value.WebhookSecret,
                ToleranceSeconds, throwOnApiVersionMismatch: false);
        }
        catch (Exception ex) when (ex is StripeException or ArgumentException or FormatException)
        {
            logger.LogWarning("Refused a Stripe webhook: {Reason}", ex.Message);
            return TypedResults.BadRequest("Invalid signature.");
        }

        if (stripeEvent.Data.Object is not Session session) return TypedResults.Ok();
        var fulfilment = services.GetRequiredService<StripeFulfilment>();
        // Any exception here answers 500, and Stripe retries the event later.
        switch (stripeEvent.Type)
        {
            case EventTypes.CheckoutSessionCompleted:
            case EventTypes.CheckoutSessionAsyncPaymentSucceeded:
            case EventTypes.CheckoutSessionExpired:
                await fulfilment.FulfilAsync(session.Id, ct);
                break;
            case EventTypes.CheckoutSessionAsyncPaymentFailed:
                await fulfilment.FailAsync(session.Id, ct);
                break;
        }
        return TypedResults.Ok();
    }
}
