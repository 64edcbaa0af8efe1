using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Account;

public static class AccountRegistration
{
    /// <summary>Account emails, sign-in that does not reveal accounts, and the workspace two-factor requirement.</summary>
    public static void AddAccount(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, account) =>
            identity.SignIn.RequireConfirmedEmail = account.Value.RequireConfirmedEmail);
        builder.Services.AddScoped<AccountEmailSender>();
        builder.Services.AddScoped<IEmailSender<AppUser>>(services => services.GetRequiredService<AccountEmailSender>());
        builder.Services.AddScoped<AccountLinks>();
        builder.Services.AddSingleton<UnknownSignInAttempts>();
        builder.Services.AddScoped(services => (AppSignInManager)services.GetRequiredService<SignInManager<AppUser>>());
        builder.Services.AddScoped<IAuthorizationHandler, TwoFactorRequirementHandler>();
        builder.Services.AddScoped<TwoFactorPolicy>();
    }
}
