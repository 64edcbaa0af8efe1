using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Account;

/// <summary>
/// Sign-in that answers an unknown email as slowly, and with the same warnings, as a known one: the password is
/// hashed anyway and failures are counted as if the account existed, so neither the time nor the "attempts left"
/// warning tells whether an email is registered.
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    UnknownSignInAttempts unknownAttempts)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null) return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);

        unknownAttempts.HashAnyway(UserManager.PasswordHasher, password);
        return unknownAttempts.Fail(userName, Options.Lockout) ? SignInResult.LockedOut : SignInResult.Failed;
    }

    /// <summary>How many more wrong passwords lock the account, after a failed sign-in as <paramref name="userName"/>.</summary>
    public async Task<int> AttemptsLeftAsync(string userName)
    {
        var user = await UserManager.FindByNameAsync(userName);
        var failed = user is null ? unknownAttempts.Count(userName) : await UserManager.GetAccessFailedCountAsync(user);
        return Math.Max(0, Options.Lockout.MaxFailedAccessAttempts - failed);
    }
}
