using WorkspaceApp.Features.Ops;

namespace WorkspaceApp.Features.ApiKeys;

public static class ApiKeysRegistration
{
    public static void AddApiKeys(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ApiKeyOptions>(builder.Configuration.GetSection(ApiKeyOptions.Section));
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<ApiKeyResolver>();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddSingleton<KeyExpiryWarnings>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeyExpiryWarnings>());
        builder.Services.AddOpsCommand<CreateKeyCommand>();
        builder.Services.AddOpsCommand<ListKeysCommand>();
        builder.Services.AddOpsCommand<RevokeKeyCommand>();
        builder.Services.AddOpsCommand<KeyLimitsCommand>();
    }
}
