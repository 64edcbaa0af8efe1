using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Alerts;
using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Features.Billing;

public static class BillingRegistration
{
    public static void AddBilling(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<StripeOptions>(builder.Configuration.GetSection(StripeOptions.Section));
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<BillingOptions>()
            .BindConfiguration(BillingOptions.Section)
            // `dotnet run` needs nothing set up; any other environment must say how it takes payments.
            .PostConfigure(o => o.Provider ??= development ? BillingProvider.Test : null)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        builder.Services.AddSingleton<BillingMode>();
        builder.Services.AddHostedService<BillingModeLog>();
        builder.Services.AddScoped<LedgerService>();
        builder.Services.AddScoped<PurchaseFulfilment>();
        builder.Services.AddScoped<BillingService>();
        builder.Services.AddScoped<TestCheckoutService>();
        builder.Services.AddSingleton<IStripeFacade, StripeFacade>();
        builder.Services.AddScoped<StripeFulfilment>();
        builder.Services.AddScoped<StripeRefunds>();
        builder.Services.AddScoped<StripeSubscriptions>();
        builder.Services.AddScoped<StripeTopUps>();
        builder.Services.AddScoped<AutoTopUpService>();
        builder.Services.AddScoped<AutoTopUpRunner>();
        // Auto top-up runs when the balance falls, as the low-balance alert does: both are driven by the balance watcher.
        builder.AddBalanceAlerts();
        builder.Services.AddScoped<TestPaymentProvider>();
        builder.Services.AddScoped<StripePaymentProvider>();
        builder.Services.AddScoped<IPaymentProvider>(sp => sp.GetRequiredService<BillingMode>().IsStripe
            ? sp.GetRequiredService<StripePaymentProvider>()
            : sp.GetRequiredService<TestPaymentProvider>());
        builder.Services.AddOpsCommand<GrantCreditsCommand>();
        builder.Services.AddOpsCommand<CreditBalanceCommand>();
        builder.Services.AddOpsCommand<VerifyLedgerCommand>();
    }

    public static void MapBillingEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/webhooks/stripe", StripeWebhookEndpoint.HandleAsync).DisableAntiforgery().AllowAnonymous();
}
