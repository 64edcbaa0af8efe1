using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Workspaces;

/// <summary>Sign-in and sign-up posts are limited per client IP, before the per-account lockout can be reached.</summary>
public sealed class AccountRateLimitTests : IDisposable
{
    private readonly AppFactory app = new AppFactory().With("Account:AttemptsPerIp", "3").With("Account:AttemptWindowSeconds", "60");

    [Fact]
    public async Task A_strangers_guesses_from_one_ip_are_throttled_without_locking_the_victim_out()
    {
        var victim = await app.RegisterAsync();
        using var server = app.WithClientIps();
        using var stranger = server.CreateClient("203.0.113.7", allowAutoRedirect: false);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var wrong = await LogInAsync(stranger, victim.Email, "Wrong-password-1");
            Assert.Contains("Invalid email or password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        for (var attempt = 1; attempt <= 5; attempt++) await AssertThrottledAsync(await LogInAsync(stranger, victim.Email, "Wrong-password-1"));

        await using (var scope = app.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(victim.UserId))!), "throttled guesses never reach the lockout");
        }
        using var victimsBrowser = server.CreateClient("198.51.100.9", allowAutoRedirect: false);
        var signIn = await LogInAsync(victimsBrowser, victim.Email, TestUser.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("Lockout", signIn.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registrations_from_one_ip_are_throttled()
    {
        using var server = app.WithClientIps();

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(server, "203.0.113.7")).StatusCode);
        await AssertThrottledAsync(await RegisterAsync(server, "203.0.113.7"));

        await using var scope = app.CreateScope();
        Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.CountAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(server, "198.51.100.9")).StatusCode);
    }

    private static async Task AssertThrottledAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
        Assert.Contains("Too many sign-in or registration attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password) =>
        StaticForm.PostAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    // A new browser each time, as a script signing up many accounts would be.
    private static async Task<HttpResponseMessage> RegisterAsync(WebApplicationFactory<Program> server, string ip)
    {
        using var client = server.CreateClient(ip, allowAutoRedirect: false);
        return await StaticForm.PostAsync(client, "/Account/Register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = $"user-{Guid.NewGuid():N}@example.com",
            ["Input.WorkspaceName"] = "Acme",
            ["Input.Password"] = TestUser.Password,
            ["Input.ConfirmPassword"] = TestUser.Password,
        });
    }

    public void Dispose() => app.Dispose();
}
