using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed class EmailConfirmationTests : IDisposable
{
    private AppFactory app = new();

    [Fact]
    public async Task A_new_user_works_at_once_and_confirms_with_the_emailed_link()
    {
        var email = $"new-{Guid.NewGuid():N}@example.com";
        using var browser = new AccountSession(app);

        var registered = await RegisterAsync(browser, email);

        Assert.StartsWith("/Account/RegisterConfirmation", AccountSession.Location(registered), StringComparison.Ordinal);
        Assert.True(browser.IsSignedIn);
        Assert.False((await FindAsync(email)).EmailConfirmed);
        var mail = await app.Mail.WaitForAsync(email, m => m.Subject == "Confirm your email address");
        var confirmed = await browser.Client.GetStringAsync(AccountSession.PathOf(MailPickup.FirstLink(mail)));
        Assert.Contains("Thank you for confirming your email.", confirmed, StringComparison.Ordinal);
        Assert.True((await FindAsync(email)).EmailConfirmed);
    }

    [Fact]
    public async Task With_confirmation_required_nobody_signs_in_before_confirming()
    {
        app.Dispose();
        app = new AppFactory().With("Identity:RequireConfirmedEmail", "true");
        var email = $"strict-{Guid.NewGuid():N}@example.com";
        using var browser = new AccountSession(app);

        await RegisterAsync(browser, email);
        Assert.False(browser.IsSignedIn);
        var refused = await browser.LogInAsync(email, TestUser.Password);
        Assert.Contains("Please confirm your email address first", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(browser.IsSignedIn);

        var mail = await app.Mail.WaitForAsync(email, m => m.Subject == "Confirm your email address");
        await browser.Client.GetStringAsync(AccountSession.PathOf(MailPickup.FirstLink(mail)));
        await browser.LogInAsync(email, TestUser.Password);
        Assert.True(browser.IsSignedIn);
    }

    [Fact]
    public async Task A_new_email_takes_effect_only_when_its_link_is_opened()
    {
        var user = await app.RegisterAsync();
        var newEmail = $"moved-{Guid.NewGuid():N}@example.com";
        using var browser = new AccountSession(app);
        await browser.LogInAsync(user.Email, TestUser.Password);

        var asked = await browser.PostAsync("/Account/Manage/Email", "change-email", new Dictionary<string, string> { ["Input.NewEmail"] = newEmail });
        Assert.Contains("We sent a confirmation link to", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(user.Email, (await FindAsync(user.Email)).Email);

        var mail = await app.Mail.WaitForAsync(newEmail);
        var page = await browser.Client.GetStringAsync(AccountSession.PathOf(MailPickup.FirstLink(mail)));
        Assert.Contains("Thank you for confirming your email change.", page, StringComparison.Ordinal);

        using var signIn = new AccountSession(app);
        await signIn.LogInAsync(newEmail, TestUser.Password);
        Assert.True(signIn.IsSignedIn);
        Assert.True((await FindAsync(newEmail)).EmailConfirmed);
    }

    private static Task<HttpResponseMessage> RegisterAsync(AccountSession browser, string email) =>
        browser.PostAsync("/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.WorkspaceName"] = "Acme",
            ["Input.Password"] = TestUser.Password,
            ["Input.ConfirmPassword"] = TestUser.Password,
        });

    private async Task<AppUser> FindAsync(string email)
    {
        await using var scope = app.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!;
    }

    public void Dispose() => app.Dispose();
}
