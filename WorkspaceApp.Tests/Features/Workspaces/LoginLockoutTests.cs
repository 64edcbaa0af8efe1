using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Workspaces;

public sealed class LoginLockoutTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task The_right_password_logs_in()
    {
        var user = await app.RegisterAsync();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await LogInAsync(client, user.Email, TestUser.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("Lockout", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await app.RegisterAsync();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await LogInAsync(client, user.Email, "Wrong-password-1");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Invalid email or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var fifth = await LogInAsync(client, user.Email, "Wrong-password-1");
        Assert.EndsWith("/Account/Lockout", fifth.Headers.Location?.ToString(), StringComparison.Ordinal);

        var right = await LogInAsync(client, user.Email, TestUser.Password);
        Assert.EndsWith("/Account/Lockout", right.Headers.Location?.ToString(), StringComparison.Ordinal);

        await using var scope = app.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.UserId))!));
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password) =>
        StaticForm.PostAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public void Dispose() => app.Dispose();
}
