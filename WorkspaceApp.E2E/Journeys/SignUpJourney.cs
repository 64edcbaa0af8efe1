using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

[Collection(E2ECollection.Name)]
public sealed class SignUpJourney(E2EFixture fixture)
{
    [Fact]
    public async Task A_new_user_registers_sees_their_trial_workspace_logs_out_and_back_in()
    {
        var page = await fixture.NewPageAsync();
        var account = new AccountPages(page);
        var dashboard = new DashboardPage(page);
        var email = $"e2e-{Guid.NewGuid():N}@example.com";

        await account.RegisterAsync(email, "Initech");
        await account.ContinueAfterRegisteringAsync();

        await dashboard.WaitForAsync("Initech");
        await Expect(dashboard.WorkspaceName).ToHaveTextAsync("Initech");
        await Expect(dashboard.PlanChip).ToHaveTextAsync("Trial");
        await Expect(dashboard.TrialDaysLeft).ToHaveTextAsync("14 days left on Trial");

        await account.LogOutAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Account/Login**");

        await account.LogInAsync(email);
        await dashboard.WaitForAsync("Initech");
        await Expect(dashboard.PlanChip).ToHaveTextAsync("Trial");
    }

    [Fact]
    public async Task Registering_a_taken_email_reveals_nothing_and_a_weak_password_shows_why()
    {
        var page = await fixture.NewPageAsync();
        var account = new AccountPages(page);
        var email = await account.SignUpAsync("Hooli");
        await account.LogOutAsync();

        // The same answer as for a new address; the account's owner is told by email instead.
        await account.RegisterAsync(email, "Second workspace");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await fixture.App.Mail.WaitForAsync(email, m => m.Subject == "You already have an account");

        await account.RegisterAsync($"e2e-{Guid.NewGuid():N}@example.com", "Weak", password: "short");
        await Expect(page.GetByText("must be at least 10")).ToBeVisibleAsync();

        await account.RegisterAsync($"e2e-{Guid.NewGuid():N}@example.com", "");
        await Expect(page.GetByText("Workspace name is required.")).ToBeVisibleAsync();
        Assert.EndsWith("/Account/Register", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }
}
