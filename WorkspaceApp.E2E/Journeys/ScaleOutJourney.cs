using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Npgsql;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// Two app processes on one PostgreSQL database (WORKSPACEAPP_TEST_POSTGRES, set by test.sh): a Billing page served
/// by instance B follows API usage made through instance A, without a reload (LISTEN/NOTIFY between the instances).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ScaleOutJourney(E2EFixture fixture)
{
    [Fact]
    public async Task A_billing_page_on_one_instance_shows_usage_made_through_the_other_without_a_reload()
    {
        var admin = Environment.GetEnvironmentVariable("WORKSPACEAPP_TEST_POSTGRES")
            ?? throw new InvalidOperationException("WORKSPACEAPP_TEST_POSTGRES is not set: ./test.sh starts a PostgreSQL server and sets it.");
        var database = $"e2e_scaleout_{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            // The app creates the missing database itself (the admin user may).
            ["ConnectionStrings:Default"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
            // 1 credit per output token, nothing for input: max_tokens 1 holds and costs exactly 1 credit.
            ["Pricing:Models:echo-1:InputPerMillion"] = "0",
            ["Pricing:Models:echo-1:OutputPerMillion"] = "1000000",
        };
        try
        {
            await using var a = await AppServer.StartAsync(settings);
            await using var b = await AppServer.StartAsync(settings);
            var email = $"e2e-{Guid.NewGuid():N}@example.com";
            await OpsAsync(a, "workspace", "create", "--name", "Scale", "--owner", email, "--password", AccountPages.Password, "--plan", "pro");
            await OpsAsync(a, "credits", "grant", "--workspace", "Scale", "--credits", "10", "--reason", "e2e");
            var key = (await OpsAsync(a, "keys", "create", "--workspace", "Scale", "--name", "E2E"))
                .Split('\n').Single(l => l.StartsWith("key: ", StringComparison.Ordinal))[5..].Trim();

            // Signed in on B, Billing open.
            var context = await fixture.Browser.NewContextAsync(new() { BaseURL = b.BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
            context.SetDefaultTimeout(15_000);
            var page = await context.NewPageAsync();
            await new AccountPages(page).LogInAsync(email);
            await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            var billing = new BillingPage(page);
            await billing.OpenAsync();
            await Expect(billing.Balance).ToHaveTextAsync("10.00");

            // Two metered requests through A, 1 credit each.
            using var api = new HttpClient { BaseAddress = new Uri(a.BaseUrl) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            for (var i = 0; i < 2; i++)
            {
                using var body = new StringContent("""{"model":"echo-1","max_tokens":1,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
                var response = await api.PostAsync("/v1/chat/completions", body);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            // B's page follows, on its own: no navigation since the balance was read.
            var url = page.Url;
            await Expect(billing.Balance).ToHaveTextAsync("8.00");
            Assert.Equal(url, page.Url);
            await context.DisposeAsync();
        }
        finally
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> OpsAsync(AppServer server, params string[] args)
    {
        var (exitCode, output, error) = await server.OpsAsync(args);
        Assert.True(exitCode == 0, $"ops {string.Join(' ', args)} failed: {error}");
        return output;
    }
}
