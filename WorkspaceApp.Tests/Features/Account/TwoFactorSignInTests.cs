using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed partial class TwoFactorSignInTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Enabling_takes_a_code_computed_from_the_key_on_the_page_and_shows_ten_recovery_codes()
    {
        var user = await app.RegisterAsync();
        using var browser = new AccountSession(app);
        await browser.LogInAsync(user.Email, TestUser.Password);

        var page = await browser.Client.GetStringAsync("/Account/Manage/EnableAuthenticator");
        var key = AccountSession.TestId(page, "authenticator-key");
        Assert.Contains("src=\"data:image/png;base64,", page, StringComparison.Ordinal); // the QR code
        var wrong = await browser.PostAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = "000000" });
        Assert.Contains("That code is not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await TwoFactorEnabledAsync(user.UserId));

        var enabled = await browser.PostAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key) });

        var codes = RecoveryCode().Matches(await enabled.Content.ReadAsStringAsync());
        Assert.Equal(10, codes.Count);
        Assert.True(await TwoFactorEnabledAsync(user.UserId));
    }

    [Fact]
    public async Task Sign_in_asks_for_the_code_after_the_password_and_accepts_the_computed_one()
    {
        var (user, key, _) = await UserWithTwoFactorAsync();
        using var browser = new AccountSession(app);

        var password = await browser.LogInAsync(user.Email, TestUser.Password);
        Assert.StartsWith("/Account/LoginWith2fa", AccountSession.Location(password), StringComparison.Ordinal);
        Assert.False(browser.IsSignedIn);

        var wrong = await browser.PostAsync("/Account/LoginWith2fa", "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = "123456" });
        Assert.Contains("Invalid authenticator code", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(browser.IsSignedIn);

        var signedIn = await browser.PostAsync("/Account/LoginWith2fa", "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key) });
        Assert.Equal("/", AccountSession.Location(signedIn));
        Assert.True(browser.IsSignedIn);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var (user, _, recoveryCodes) = await UserWithTwoFactorAsync();

        Assert.True(await SignInWithRecoveryCodeAsync(user, recoveryCodes[0]));
        Assert.False(await SignInWithRecoveryCodeAsync(user, recoveryCodes[0]));
        Assert.True(await SignInWithRecoveryCodeAsync(user, recoveryCodes[1]));
    }

    [Fact]
    public async Task The_code_step_without_the_password_step_goes_back_to_log_in()
    {
        using var browser = new AccountSession(app);
        var response = await browser.Client.GetAsync("/Account/LoginWith2fa");
        Assert.Equal("/Account/Login", AccountSession.Location(response));
    }

    private async Task<bool> SignInWithRecoveryCodeAsync(TestUser user, string code)
    {
        using var browser = new AccountSession(app);
        await browser.LogInAsync(user.Email, TestUser.Password);
        await browser.PostAsync("/Account/LoginWithRecoveryCode", "login-with-recovery-code", new Dictionary<string, string> { ["Input.RecoveryCode"] = code });
        return browser.IsSignedIn;
    }

    private async Task<(TestUser User, string Key, string[] RecoveryCodes)> UserWithTwoFactorAsync()
    {
        var user = await app.RegisterAsync();
        await using var scope = app.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var appUser = (await users.FindByIdAsync(user.UserId))!;
        await users.ResetAuthenticatorKeyAsync(appUser);
        await users.SetTwoFactorEnabledAsync(appUser, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(appUser, 10))!.ToArray();
        return (user, (await users.GetAuthenticatorKeyAsync(appUser))!, codes);
    }

    private async Task<bool> TwoFactorEnabledAsync(string userId)
    {
        await using var scope = app.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.GetTwoFactorEnabledAsync((await users.FindByIdAsync(userId))!);
    }

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();

    public void Dispose() => app.Dispose();
}
