using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>
/// Payment intents: the one a paid checkout made (with the card saved on a customer when the checkout asked to), and
/// off-session ones created with a saved card, idempotent per Idempotency-Key as Stripe is. A payment method in
/// <see cref="DecliningPaymentMethods"/> is declined with Stripe's card_error.
/// </summary>
public sealed partial class FakeStripe
{
    private readonly ConcurrentDictionary<string, (int Status, string Body)> idempotentAnswers = new();

    /// <summary>Each create request as sent: its form fields and the Idempotency-Key header.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Form, string? IdempotencyKey)> PaymentIntentRequests { get; } = new();

    public ConcurrentDictionary<string, byte> DecliningPaymentMethods { get; } = new();

    private void PayCheckout(JsonObject session)
    {
        var intentId = session["payment_intent"]!.GetValue<string>();
        var amount = session["amount_total"]!.GetValue<long>();
        AddCharge(intentId, amount);
        var saveCard = session["setup_future_usage"]?.GetValue<string>() == "off_session";
        string? customer = null;
        if (saveCard && session["customer_creation"]?.GetValue<string>() == "always") session["customer"] = customer = $"cus_{Guid.NewGuid():N}";
        objects[intentId] = Intent(intentId, amount, "succeeded", customer, saveCard ? $"pm_{Guid.NewGuid():N}" : null, new JsonObject());
    }

    private static JsonObject Intent(string id, long amount, string status, string? customer, string? paymentMethod, JsonObject metadata) => new()
    {
        ["id"] = id,
        ["object"] = "payment_intent",
        ["amount"] = amount,
        ["amount_received"] = status == "succeeded" ? amount : 0L,
        ["currency"] = "eur",
        ["status"] = status,
        ["customer"] = customer,
        // Always expanded (the app asks for expand[]=payment_method): Stripe.net reads an id or an object alike.
        ["payment_method"] = paymentMethod is null ? null : new JsonObject
        {
            ["id"] = paymentMethod, ["object"] = "payment_method", ["type"] = "card", ["card"] = new JsonObject { ["last4"] = "4242", ["brand"] = "visa" },
        },
        ["metadata"] = metadata,
        ["livemode"] = false,
    };

    private async Task<IResult> CreatePaymentIntentAsync(HttpRequest request)
    {
        var form = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        PaymentIntentRequests.Enqueue((form, key));
        if (key is not null && idempotentAnswers.TryGetValue(key, out var earlier)) return Results.Text(earlier.Body, "application/json", statusCode: earlier.Status);

        var id = $"pi_{Guid.NewGuid():N}";
        var amount = long.Parse(form["amount"], CultureInfo.InvariantCulture);
        var paymentMethod = form.GetValueOrDefault("payment_method");
        var declined = paymentMethod is not null && DecliningPaymentMethods.ContainsKey(paymentMethod);
        var metadata = new JsonObject();
        foreach (var (name, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))) metadata[name[9..^1]] = value;
        var intent = Intent(id, amount, declined ? "requires_payment_method" : "succeeded", form.GetValueOrDefault("customer"), paymentMethod, metadata);
        objects[id] = intent;
        if (!declined) AddCharge(id, amount);
        var (status, body) = declined
            ? (402, new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "card_error", ["code"] = "card_declined", ["decline_code"] = "generic_decline",
                    ["message"] = "Your card was declined.", ["payment_intent"] = JsonNode.Parse(intent.ToJsonString()),
                },
            }.ToJsonString())
            : (200, intent.ToJsonString());
        if (key is not null) idempotentAnswers[key] = (status, body);
        return Results.Text(body, "application/json", statusCode: status);
    }

    /// <summary>The off-session payment intent made for an auto top-up purchase.</summary>
    public string IntentForPurchase(int purchaseId) => objects.Values.Single(o => o["object"]!.GetValue<string>() == "payment_intent"
        && o["metadata"]?["purchase_id"]?.GetValue<string>() == purchaseId.ToString(CultureInfo.InvariantCulture))["id"]!.GetValue<string>();
}
