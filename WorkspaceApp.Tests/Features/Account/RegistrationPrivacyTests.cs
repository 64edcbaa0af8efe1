using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed class RegistrationPrivacyTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Registering_a_taken_email_answers_as_for_a_new_one_and_tells_the_owner_by_email()
    {
        var existing = await app.RegisterAsync();
        var fresh = $"fresh-{Guid.NewGuid():N}@example.com";

        var taken = await RegisterAsync(existing.Email, "Other-Password-99");
        var created = await RegisterAsync(fresh, "Other-Password-99");

        Assert.Equal(AccountSession.Location(created).Replace(Uri.EscapeDataString(fresh), "EMAIL", StringComparison.Ordinal),
            AccountSession.Location(taken).Replace(Uri.EscapeDataString(existing.Email), "EMAIL", StringComparison.Ordinal));
        var warning = await app.Mail.WaitForAsync(existing.Email, m => m.Subject == "You already have an account");
        Assert.Contains("/Account/ForgotPassword", MailPickup.FirstLink(warning) + warning.TextBody, StringComparison.Ordinal);
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = existing.Email.ToUpperInvariant();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == normalized));
    }

    [Fact]
    public async Task A_weak_password_gets_the_same_errors_whether_the_email_is_taken_or_not()
    {
        var existing = await app.RegisterAsync();

        var taken = await (await RegisterAsync(existing.Email, "weakweakweak")).Content.ReadAsStringAsync();
        var fresh = await (await RegisterAsync($"fresh-{Guid.NewGuid():N}@example.com", "weakweakweak")).Content.ReadAsStringAsync();

        Assert.Equal(AccountSession.TestId(fresh, "register-errors"), AccountSession.TestId(taken, "register-errors"));
        Assert.DoesNotContain("already taken", taken, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpResponseMessage> RegisterAsync(string email, string password)
    {
        using var browser = new AccountSession(app);
        return await browser.PostAsync("/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.WorkspaceName"] = "Acme",
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
    }

    public void Dispose() => app.Dispose();
}
