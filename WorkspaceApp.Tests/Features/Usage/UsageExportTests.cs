using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Features.Hosting;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Usage;

/// <summary>GET /usage/export.csv with the sign-in cookie, after real API calls.</summary>
public sealed class UsageExportTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task The_csv_has_one_row_per_request_in_the_range_and_none_outside()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 1);
        var formulaKey = await ApiWorkspace.CreateKeyAsync(app, workspace.Owner.WorkspaceId, "=HYPERLINK(\"http://evil\")");
        using var api = workspace.Client(app);
        using var formulaApi = workspace.Client(app, formulaKey);
        var charged = new List<string>();
        foreach (var client in new[] { api, api, formulaApi })
        {
            var answer = await ApiWorkspace.ChatAsync(client, "hello there", maxTokens: 3);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            charged.Add(answer.Headers.GetValues("X-Credits-Charged").Single());
        }
        // Before the range: must not appear.
        await using (var scope = app.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var record = await db.UsageRecords.AsNoTracking().FirstAsync();
            record.Id = 0;
            record.AtUtc = DateTime.UtcNow.AddDays(-8);
            db.UsageRecords.Add(record);
            await db.SaveChangesAsync();
        }
        using var browser = await SignInAsync(workspace.Owner);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (from, to) = (Day(today.AddDays(-6)), Day(today));

        var response = await browser.GetAsync($"/usage/export.csv?from={from}&to={to}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"usage-{from}-to-{to}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', UsageCsv.Header), lines[0]);
        Assert.Equal(3, lines.Length - 1);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(charged, rows.Select(r => r[6]));
        Assert.All(rows, r => Assert.Equal(("echo-1", "succeeded"), (r[3], r[7])));
        Assert.All(rows, r => Assert.InRange(int.Parse(r[5], CultureInfo.InvariantCulture), 1, 3));
        Assert.All(rows, r => Assert.True(DateTime.TryParseExact(r[0], "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && at.Kind == DateTimeKind.Utc, r[0]));
        Assert.Equal(["Test key", "Test key"], rows.Take(2).Select(r => r[1]));
        Assert.StartsWith("wsk_", rows[0][2], StringComparison.Ordinal);
        // A key name that a spreadsheet would run as a formula is written as text.
        Assert.DoesNotContain(lines, l => l.Contains(",=HYPERLINK", StringComparison.Ordinal) || l.Contains(",\"=HYPERLINK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_workspace_gets_nothing_and_a_signed_out_visitor_is_sent_to_log_in()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 1);
        using var api = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(api)).StatusCode);
        var stranger = await app.RegisterAsync();
        using var strangerBrowser = await SignInAsync(stranger);
        using var owner = await SignInAsync(workspace.Owner);

        var asked = await strangerBrowser.GetAsync($"/usage/export.csv?range=7d&workspace={workspace.Owner.WorkspaceId}");
        var own = await strangerBrowser.GetStringAsync("/usage/export.csv?range=7d");
        var ownersOwn = await owner.GetStringAsync($"/usage/export.csv?range=7d&workspace={workspace.Owner.WorkspaceId}");
        using var signedOut = new CookieJar().ClientOf(app);
        var anonymous = await signedOut.GetAsync("/usage/export.csv?range=7d");

        Assert.Equal(HttpStatusCode.NotFound, asked.StatusCode);
        Assert.Equal(string.Join(',', UsageCsv.Header), own.Trim());
        Assert.Equal(2, ownersOwn.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/Account/Login", anonymous.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("range=1y", "Unknown range")]
    [InlineData("from=2026-02-01&to=2026-01-01", "from must not be after to")]
    [InlineData("from=2025-01-01&to=2026-06-30", "at most 366 days")]
    [InlineData("from=yesterday&to=2026-01-01", "yyyy-MM-dd")]
    public async Task A_bad_range_gets_400_saying_what_is_wrong(string query, string message)
    {
        var owner = await app.RegisterAsync();
        using var browser = await SignInAsync(owner);

        var response = await browser.GetAsync($"/usage/export.csv?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignInAsync(TestUser user)
    {
        var browser = new CookieJar().ClientOf(app);
        var login = await StaticForm.PostAsync(browser, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestUser.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return browser;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose() => app.Dispose();
}
