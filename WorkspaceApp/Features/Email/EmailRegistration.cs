using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Email;

public static class EmailRegistration
{
    public static void AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        builder.Services.AddSingleton<IEmailTransport>(services =>
            services.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
                ? ActivatorUtilities.CreateInstance<SmtpTransport>(services)
                : ActivatorUtilities.CreateInstance<PickupDirectoryTransport>(services));
        builder.Services.AddSingleton<EmailOutbox>();
        builder.Services.AddSingleton<IEmailOutbox>(services => services.GetRequiredService<EmailOutbox>());
        builder.Services.AddHostedService(services => services.GetRequiredService<EmailOutbox>());
        builder.Services.AddSingleton<PublicUrls>();
    }
}
