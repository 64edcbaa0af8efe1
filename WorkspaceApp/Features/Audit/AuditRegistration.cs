namespace WorkspaceApp.Features.Audit;

public static class AuditRegistration
{
    public static void AddAuditLog(this IHostApplicationBuilder builder) =>
        builder.Services.AddScoped<AuditLogQuery>();
}
