using System.Diagnostics;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed class SignInPrivacyTests : IDisposable
{
    private const string Wrong = "Wrong-Password-12";
    private readonly AppFactory app = new();

    [Fact]
    public async Task A_failed_sign_in_never_sends_the_password_back()
    {
        var user = await app.RegisterAsync();
        using var browser = new AccountSession(app);

        var page = await (await browser.LogInAsync(user.Email, Wrong)).Content.ReadAsStringAsync();

        Assert.Contains("Invalid email or password", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_attempt_before_lockout_is_announced_for_known_and_unknown_emails_alike()
    {
        var user = await app.RegisterAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        foreach (var email in new[] { user.Email, unknown })
        {
            using var browser = new AccountSession(app);
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var early = await (await browser.LogInAsync(email, Wrong)).Content.ReadAsStringAsync();
                Assert.DoesNotContain("1 attempt left", early, StringComparison.Ordinal);
            }
            var fourth = await (await browser.LogInAsync(email, Wrong)).Content.ReadAsStringAsync();
            Assert.Contains("1 attempt left", fourth, StringComparison.Ordinal);
            var fifth = await browser.LogInAsync(email, Wrong);
            Assert.Equal("/Account/Lockout", AccountSession.Location(fifth));
        }
    }

    [Fact]
    public async Task An_unknown_email_takes_as_long_as_a_known_one()
    {
        var user = await app.RegisterAsync();
        using var browser = new AccountSession(app);
        await browser.LogInAsync("warm-up@example.com", Wrong); // first request compiles the page

        // Medians of three: without the dummy hash an unknown email skips the ~100k-iteration PBKDF2 and takes a
        // small fraction of the time (measured: under a tenth); with it both cost about the same.
        var known = await MedianAsync(() => browser.LogInAsync(user.Email, Wrong));
        var unknown = await MedianAsync(() => browser.LogInAsync($"nobody-{Guid.NewGuid():N}@example.com", Wrong));

        Assert.True(unknown > known * 0.5, $"unknown email {unknown.TotalMilliseconds:0} ms, known {known.TotalMilliseconds:0} ms");
    }

    private static async Task<TimeSpan> MedianAsync(Func<Task<HttpResponseMessage>> signIn)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            (await signIn()).Dispose();
            times.Add(watch.Elapsed);
        }
        return times.Order().ElementAt(1);
    }

    public void Dispose() => app.Dispose();
}
