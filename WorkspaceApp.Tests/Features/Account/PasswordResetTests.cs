using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed class PasswordResetTests : IDisposable
{
    private const string NewPassword = "Brand-new-Pass-77";
    private readonly AppFactory app = new();

    [Fact]
    public async Task The_emailed_link_sets_a_new_password_once()
    {
        var user = await app.RegisterAsync();
        using var browser = new AccountSession(app);

        var asked = await browser.PostAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = user.Email });
        Assert.Equal("/Account/ForgotPasswordConfirmation", AccountSession.Location(asked));
        var mail = await app.Mail.WaitForAsync(user.Email, m => m.Subject == "Reset your password");
        var link = AccountSession.PathOf(MailPickup.FirstLink(mail));
        Assert.Contains("<a href=", mail.HtmlBody, StringComparison.Ordinal);

        var reset = await ResetAsync(browser, link, user.Email, NewPassword);
        Assert.Equal("/Account/ResetPasswordConfirmation", AccountSession.Location(reset));

        var again = await ResetAsync(browser, link, user.Email, "Another-Pass-88!");
        Assert.Contains("expired or was already used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var signIn = new AccountSession(app);
        await signIn.LogInAsync(user.Email, NewPassword);
        Assert.True(signIn.IsSignedIn);
        using var oldPassword = new AccountSession(app);
        await oldPassword.LogInAsync(user.Email, TestUser.Password);
        Assert.False(oldPassword.IsSignedIn);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_and_no_message()
    {
        var user = await app.RegisterAsync();
        using var browser = new AccountSession(app);

        var unknown = await browser.PostAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = "nobody@example.com" });
        var known = await browser.PostAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = user.Email });

        Assert.Equal(AccountSession.Location(known), AccountSession.Location(unknown));
        await app.Mail.WaitForAsync(user.Email); // sent after the unknown one: had that produced mail, it would be here now
        Assert.Empty(app.Mail.To("nobody@example.com"));
    }

    [Fact]
    public async Task A_damaged_link_explains_and_changes_nothing()
    {
        var user = await app.RegisterAsync();
        using var browser = new AccountSession(app);

        var page = await browser.Client.GetStringAsync("/Account/ResetPassword?code=%%%not-base64");
        Assert.Contains("This reset link is not valid", page, StringComparison.Ordinal);

        var response = await ResetAsync(browser, "/Account/ResetPassword?code=bm90LWEtdG9rZW4", user.Email, NewPassword);
        Assert.Contains("expired or was already used", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await browser.LogInAsync(user.Email, TestUser.Password);
        Assert.True(browser.IsSignedIn);
    }

    private static async Task<HttpResponseMessage> ResetAsync(AccountSession browser, string link, string email, string password)
    {
        var page = await browser.Client.GetStringAsync(link);
        var code = System.Text.RegularExpressions.Regex.Match(page, "name=\"Input.Code\" value=\"([^\"]*)\"").Groups[1].Value;
        return await browser.PostAsync("/Account/ResetPassword", "reset-password", new Dictionary<string, string>
        {
            ["Input.Code"] = System.Net.WebUtility.HtmlDecode(code),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }, pagePath: link);
    }

    public void Dispose() => app.Dispose();
}
