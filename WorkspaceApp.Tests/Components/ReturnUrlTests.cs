using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Components;

/// <summary>ReturnUrl on log in and log out: a path on this site is followed, anything else leads to the dashboard.</summary>
public sealed class ReturnUrlTests : IDisposable
{
    private readonly AppFactory app = new();

    public static TheoryData<string, string> ReturnUrls => new()
    {
        { "//evil.example", "/" },
        { "https://evil.example/", "/" },
        { "/\\evil.example", "/" },
        { "\\\\evil.example", "/" },
        { "/\\/evil.example", "/" },
        { "http:evil.example", "/" },
        { "javascript:alert(1)", "/" },
        { "~//evil.example", "/~//evil.example" }, // a relative path, resolved on this site
        { "/" + new string('a', 10_000), "/" },
        { "/%5Cevil.example", "/%5Cevil.example" }, // stays an (unknown) path on this site
        { "/billing", "/billing" },
        { "settings/api-keys", "/settings/api-keys" },
    };

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task Log_in_follows_only_a_local_ReturnUrl(string returnUrl, string expectedPath)
    {
        var user = await app.RegisterAsync();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await StaticForm.PostAsync(client, $"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestUser.Password,
        });

        AssertRedirectsOnSite(response, expectedPath);
    }

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task Log_out_follows_only_a_local_ReturnUrl(string returnUrl, string expectedPath)
    {
        var user = await app.RegisterAsync();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await StaticForm.PostAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestUser.Password,
        });

        // The token comes from a page rendered for the signed-in user, as the user menu's would.
        var response = await StaticForm.PostAsync(client, "/Account/Logout", "logout", new Dictionary<string, string> { ["ReturnUrl"] = returnUrl },
            pagePath: "/Account/Manage/ChangePassword");

        AssertRedirectsOnSite(response, expectedPath);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith(".AspNetCore.Identity.Application=;", StringComparison.Ordinal));
    }

    private void AssertRedirectsOnSite(HttpResponseMessage response, string expectedPath)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = new Uri(app.Server.BaseAddress, location);
        Assert.Equal(app.Server.BaseAddress.Authority, target.Authority);
        Assert.Equal(expectedPath, target.AbsolutePath);
        Assert.DoesNotContain("evil.example", target.Authority, StringComparison.Ordinal);
    }

    public void Dispose() => app.Dispose();
}
