using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>Charges, disputes and subscriptions, changed the way Stripe changes them (refunds add up, subscriptions end).</summary>
public sealed partial class FakeStripe
{
    private readonly ConcurrentDictionary<string, JsonObject> objects = new();

    private void AddCharge(string paymentIntentId, long amountCents)
    {
        var id = $"ch_{Guid.NewGuid():N}";
        objects[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amountCents,
            ["amount_refunded"] = 0L,
            ["currency"] = "eur",
            ["paid"] = true,
            ["refunded"] = false,
            ["payment_intent"] = paymentIntentId,
            ["livemode"] = false,
        };
    }

    private string StartSubscription(JsonObject metadata)
    {
        var id = $"sub_{Guid.NewGuid():N}";
        objects[id] = new JsonObject { ["id"] = id, ["object"] = "subscription", ["status"] = "active", ["metadata"] = metadata, ["livemode"] = false };
        return id;
    }

    /// <summary>The charge of a paid checkout session.</summary>
    public string ChargeFor(string sessionId)
    {
        var paymentIntent = sessions[sessionId]["payment_intent"]!.GetValue<string>();
        return objects.Values.Single(o => o["object"]!.GetValue<string>() == "charge" && o["payment_intent"]!.GetValue<string>() == paymentIntent)["id"]!.GetValue<string>();
    }

    /// <summary>The subscription a paid Pro checkout started.</summary>
    public string SubscriptionFor(string sessionId) => sessions[sessionId]["subscription"]!.GetValue<string>();

    /// <summary>Refunds <paramref name="cents"/> more of the charge: Stripe's amount_refunded is cumulative.</summary>
    public void Refund(string chargeId, long cents)
    {
        var charge = objects[chargeId];
        var refunded = charge["amount_refunded"]!.GetValue<long>() + cents;
        charge["amount_refunded"] = refunded;
        charge["refunded"] = refunded == charge["amount"]!.GetValue<long>();
    }

    /// <summary>The cardholder disputes <paramref name="cents"/> of the charge; returns the dispute's id.</summary>
    public string Dispute(string chargeId, long cents)
    {
        var id = $"dp_{Guid.NewGuid():N}";
        objects[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "dispute",
            ["amount"] = cents,
            ["currency"] = "eur",
            ["charge"] = chargeId,
            ["payment_intent"] = objects[chargeId]["payment_intent"]!.GetValue<string>(),
            ["reason"] = "fraudulent",
            ["status"] = "needs_response",
            ["livemode"] = false,
        };
        return id;
    }

    public void SetSubscriptionStatus(string subscriptionId, string status) => objects[subscriptionId]["status"] = status;

    /// <summary>An event body as Stripe might deliver it late: the object as it was, with <paramref name="change"/> applied.</summary>
    public string EventJson(string type, string objectId, Action<JsonObject> change)
    {
        var body = JsonNode.Parse(EventJson(type, objectId))!.AsObject();
        change(body["data"]!["object"]!.AsObject());
        return body.ToJsonString();
    }
}
