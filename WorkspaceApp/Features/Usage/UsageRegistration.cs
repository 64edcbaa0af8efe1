namespace WorkspaceApp.Features.Usage;

public static class UsageRegistration
{
    public static void AddUsage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<UsageService>();
        builder.Services.AddSingleton<UsageRollupService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageRollupService>());
    }

    /// <summary>The CSV export: a plain GET with the sign-in cookie (it changes nothing, so no antiforgery token).</summary>
    public static void MapUsageEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/usage/export.csv", UsageExportEndpoint.HandleAsync).RequireAuthorization();
}
