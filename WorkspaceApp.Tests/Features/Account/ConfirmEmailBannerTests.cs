using Bunit;
using WorkspaceApp.Components.Account.Shared;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed class ConfirmEmailBannerTests : AppTestContext
{
    [Fact]
    public async Task The_app_asks_a_new_user_to_confirm_the_email_and_links_to_sending_it_again()
    {
        var user = await App.RegisterAsync();
        UseAppServices(user);

        var banner = Render<ConfirmEmailBanner>();

        banner.WaitForAssertion(() => Assert.Contains("confirm your email address", banner.Find("[data-testid=confirm-email-banner]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Account/Manage/Email", banner.Find("[data-testid=confirm-email-banner] a").GetAttribute("href"));
    }
}
