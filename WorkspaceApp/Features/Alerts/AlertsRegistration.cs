namespace WorkspaceApp.Features.Alerts;

public static class AlertsRegistration
{
    /// <summary>Low-balance alerts and the balance watcher (which also runs auto top-up). Called by AddBilling.</summary>
    public static void AddBalanceAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BalanceWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BalanceWatcher>());
        builder.Services.AddScoped<BalanceAlertService>();
        builder.Services.AddScoped<BalanceAlertChecker>();
        builder.Services.AddScoped<ManagerMail>();
    }
}
