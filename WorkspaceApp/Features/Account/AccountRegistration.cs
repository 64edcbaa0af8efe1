using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Account;

public static class AccountRegistration
{
    /// <summary>Account emails and sign-in that does not reveal accounts.</summary>
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
    }

    /// <summary>The handler of the two-factor part of the workspace policies, and the setting; AddWorkspaces calls it.</summary>
    public static void AddTwoFactorRequirement(this IServiceCollection services)
    {
        services.AddScoped<IAuthorizationHandler, TwoFactorRequirementHandler>();
        services.AddScoped<TwoFactorPolicy>();
    }
}
