using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Api;

public static class ApiRegistration
{
    public static void AddWorkspaceApi(this IHostApplicationBuilder builder)
    {
        // A zero limit or a missing price stops the app at start, naming the setting.
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidation>();
        builder.Services.AddOptions<PricingOptions>().BindConfiguration(PricingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PricingOptions>, PricingOptionsValidation>();
        builder.Services.AddSingleton<TokenCounter>();
        builder.Services.AddSingleton<IChatModel>(sp => new EchoModel(EchoModel.BuiltInIds[0], firstSentenceOnly: false, sp.GetRequiredService<TokenCounter>()));
        builder.Services.AddSingleton<IChatModel>(sp => new EchoModel(EchoModel.BuiltInIds[1], firstSentenceOnly: true, sp.GetRequiredService<TokenCounter>()));
        builder.Services.AddSingleton<IEmbeddingModel, EchoEmbeddingModel>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<LastUsedTracker>();
        builder.Services.AddOptions<AppInstanceOptions>().BindConfiguration(AppInstanceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AppInstanceIdentity>();
        builder.Services.AddSingleton<MeterWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MeterWriter>());
        builder.Services.AddHostedService<MeterMaintenance>();
        builder.Services.AddScoped<CreditGate>();
        builder.Services.AddScoped<ApiKeyAuthentication>();
        builder.Services.AddSingleton<ApiRateLimits>();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
    }
}
