using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Features.Billing;

public static class BillingRegistration
{
    public static void AddBilling(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<StripeOptions>(builder.Configuration.GetSection(StripeOptions.Section));
        builder.Services.AddScoped<LedgerService>();
        builder.Services.AddScoped<PurchaseFulfilment>();
        builder.Services.AddScoped<BillingService>();
        builder.Services.AddScoped<TestCheckoutService>();
        builder.Services.AddSingleton<IStripeFacade, StripeFacade>();
        builder.Services.AddScoped<StripeFulfilment>();
        builder.Services.AddScoped<TestPaymentProvider>();
        builder.Services.AddScoped<StripePaymentProvider>();
        // Stripe when its keys are configured, else the in-app test checkout.
        builder.Services.AddScoped<IPaymentProvider>(sp => sp.GetRequiredService<IOptions<StripeOptions>>().Value.IsConfigured
            ? sp.GetRequiredService<StripePaymentProvider>()
            : sp.GetRequiredService<TestPaymentProvider>());
        builder.Services.AddOpsCommand<GrantCreditsCommand>();
        builder.Services.AddOpsCommand<CreditBalanceCommand>();
        builder.Services.AddOpsCommand<VerifyLedgerCommand>();
    }

    public static void MapBillingEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/stripe", StripeWebhookEndpoint.HandleAsync).DisableAntiforgery().AllowAnonymous();
}
