using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>
/// Stripe's servers, as far as the app uses them: a Kestrel server on 127.0.0.1 answering the Checkout Session
/// endpoints (and charges, disputes and subscriptions: FakeStripe.Objects.cs) with Stripe's JSON, so that the real
/// Stripe.net client runs against it. Also signs webhook events the way Stripe does.
/// </summary>
public sealed partial class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_0123456789";
    public const string WebhookSecret = "whsec_fake_0123456789";
    public const long ProPriceCents = 2900;

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, JsonObject> sessions = new();
    private readonly ConcurrentDictionary<string, JsonObject> subscriptionMetadata = new();
    private int nextId;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<string> Requests { get; } = new();

    private FakeStripe(WebApplication app) => this.app = app;

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.Use(async (context, next) =>
        {
            fake.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
            if (context.Request.Headers.Authorization != $"Bearer {SecretKey}")
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(Error("Invalid API Key provided."));
                return;
            }
            await next(context);
        });
        app.MapPost("/v1/checkout/sessions", fake.CreateAsync);
        app.MapGet("/v1/checkout/sessions/{id}", (string id) => Found(fake.sessions, id, "checkout.session"));
        app.MapGet("/v1/charges/{id}", (string id) => Found(fake.objects, id, "charge"));
        app.MapGet("/v1/disputes/{id}", (string id) => Found(fake.objects, id, "dispute"));
        app.MapGet("/v1/subscriptions/{id}", (string id) => Found(fake.objects, id, "subscription"));
        app.MapPost("/v1/payment_intents", fake.CreatePaymentIntentAsync);
        app.MapGet("/v1/payment_intents/{id}", (string id) => Found(fake.objects, id, "payment_intent"));
        await app.StartAsync();
        // Port 0 picked a free port; the server knows which.
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private async Task<IResult> CreateAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var id = $"cs_test_{Interlocked.Increment(ref nextId)}_{Guid.NewGuid():N}";
        var mode = form["mode"].ToString();
        var amount = mode == "subscription"
            ? ProPriceCents
            : long.Parse(form["line_items[0][quantity]"]!, CultureInfo.InvariantCulture) * long.Parse(form["line_items[0][price_data][unit_amount]"]!, CultureInfo.InvariantCulture);
        var metadata = Metadata(form, "metadata[");
        subscriptionMetadata[id] = Metadata(form, "subscription_data[metadata][");
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = mode,
            ["amount_total"] = amount,
            ["currency"] = form["line_items[0][price_data][currency]"].FirstOrDefault() ?? "eur",
            ["status"] = "open",
            ["payment_status"] = "unpaid",
            ["payment_intent"] = null,
            ["client_reference_id"] = form["client_reference_id"].ToString(),
            ["success_url"] = form["success_url"].ToString(),
            ["cancel_url"] = form["cancel_url"].ToString(),
            ["url"] = $"https://checkout.stripe.test/c/pay/{id}",
            ["metadata"] = metadata,
            ["livemode"] = false,
            ["customer_creation"] = form["customer_creation"].FirstOrDefault(),
            ["setup_future_usage"] = form["payment_intent_data[setup_future_usage]"].FirstOrDefault(),
        };
        sessions[id] = session;
        return Results.Text(session.ToJsonString(), "application/json");
    }

    private static JsonObject Metadata(IFormCollection form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            metadata[key[prefix.Length..^1]] = value.ToString();
        }
        return metadata;
    }

    private static IResult Found(ConcurrentDictionary<string, JsonObject> store, string id, string kind) => store.TryGetValue(id, out var found)
        ? Results.Text(found.ToJsonString(), "application/json")
        : Results.Json(Error($"No such {kind}: '{id}'"), statusCode: 404);

    public JsonObject Session(string id) => sessions[id];

    public string SessionIdFor(int purchaseId) =>
        sessions.Values.Single(s => s["metadata"]?["purchase_id"]?.GetValue<string>() == purchaseId.ToString(CultureInfo.InvariantCulture))["id"]!.GetValue<string>();

    /// <summary>
    /// The customer finished checkout: paid at once (card), or later (a delayed method) when <paramref name="paid"/> is
    /// false. A paid payment has its charge; a paid subscription checkout starts an active subscription.
    /// </summary>
    public void Complete(string id, bool paid = true)
    {
        var session = sessions[id];
        session["status"] = "complete";
        session["payment_status"] = paid ? "paid" : "unpaid";
        session["payment_intent"] = paid ? $"pi_{Guid.NewGuid():N}" : null;
        if (!paid) return;
        if (session["mode"]!.GetValue<string>() == "subscription") session["subscription"] = StartSubscription(subscriptionMetadata[id]);
        else PayCheckout(session);
    }

    public void Expire(string id) => sessions[id]["status"] = "expired";

    /// <summary>Changes what Stripe reports, as if the checkout had been paid for another amount.</summary>
    public void SetAmount(string id, long cents) => sessions[id]["amount_total"] = cents;

    /// <summary>The webhook body Stripe would send for <paramref name="type"/>, carrying the object (session, charge, ...) as it is now.</summary>
    public string EventJson(string type, string objectId, string? eventId = null) => new JsonObject
    {
        ["id"] = eventId ?? $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["api_version"] = StripeConfiguration.ApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["type"] = type,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["data"] = new JsonObject { ["object"] = JsonNode.Parse((sessions.TryGetValue(objectId, out var session) ? session : objects[objectId]).ToJsonString()) },
    }.ToJsonString();

    /// <summary>Stripe's scheme: "t=unix,v1=hex(HMAC-SHA256(secret, t + "." + body))".</summary>
    public static string Sign(string body, DateTimeOffset at, string secret = WebhookSecret)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    private static JsonObject Error(string message) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } };

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
