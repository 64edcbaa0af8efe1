using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace WorkspaceApp.Features.Billing;

/// <summary>POST /webhooks/stripe: verifies Stripe's signature over the raw body, then acts on the events it knows.</summary>
internal static class StripeWebhookEndpoint
{
    /// <summary>Stripe's own default: a signature older than five minutes is a replay.</summary>
    private const long ToleranceSeconds = 300;

    /// <summary>Stripe's events are a few kilobytes; anything far larger is not from Stripe and is not read.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static async Task<Results<Ok, BadRequest<string>, NotFound, StatusCodeHttpResult>> HandleAsync(
        HttpRequest request, BillingMode mode, IOptions<StripeOptions> options, IServiceProvider services,
        ILogger<StripeFulfilment> logger, CancellationToken ct)
    {
        // Plain status codes for callers, not the app's HTML status pages.
        if (request.HttpContext.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        if (!mode.IsStripe) return TypedResults.NotFound();
        if (request.ContentLength > MaxBodyBytes) return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var signature = request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature)) return TypedResults.BadRequest("Missing Stripe-Signature header.");
        // Chunked bodies have no Content-Length: the read itself stops at the cap.
        if (await ReadCappedAsync(request.Body, ct) is not { } json) return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
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

        // Any exception here answers 500, and Stripe retries the event later.
        await DispatchAsync(stripeEvent, services, ct);
        return TypedResults.Ok();
    }

    private static async Task DispatchAsync(Event stripeEvent, IServiceProvider services, CancellationToken ct)
    {
        switch (stripeEvent.Type, stripeEvent.Data.Object)
        {
            case (EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded
                or EventTypes.CheckoutSessionExpired, Session session):
                await services.GetRequiredService<StripeFulfilment>().FulfilAsync(session.Id, ct);
                break;
            case (EventTypes.CheckoutSessionAsyncPaymentFailed, Session session):
                await services.GetRequiredService<StripeFulfilment>().FailAsync(session.Id, ct);
                break;
            case (EventTypes.PaymentIntentSucceeded, PaymentIntent intent):
                await services.GetRequiredService<StripeTopUps>().FulfilAsync(intent.Id, ct);
                break;
            case (EventTypes.ChargeRefunded, Charge charge):
                await services.GetRequiredService<StripeRefunds>().RefundAsync(stripeEvent.Id, charge.Id, ct);
                break;
            case (EventTypes.ChargeDisputeCreated, Dispute dispute):
                await services.GetRequiredService<StripeRefunds>().DisputeAsync(stripeEvent.Id, dispute.Id, ct);
                break;
            case (EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted, Subscription subscription):
                await services.GetRequiredService<StripeSubscriptions>().ApplyAsync(stripeEvent.Id, stripeEvent.Type, subscription, ct);
                break;
        }
    }

    /// <summary>The body as text, or null when it is longer than <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<string?> ReadCappedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
