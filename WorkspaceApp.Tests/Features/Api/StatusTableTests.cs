using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Every row of product.md's status table, end to end through HTTP.</summary>
public sealed class StatusTableTests : IDisposable
{
    private readonly AppFactory app = new();

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Bearer wsk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Missing_or_malformed_keys_get_401_invalid_api_key(string? authorization)
    {
        using var client = app.CreateClient();
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "invalid_api_key");
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_well_formed_key_that_was_never_issued_gets_401_invalid_api_key()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKeyFormat.Generate());

        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_revoked_key_gets_401_key_revoked()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);

        await app.OpsAsync("keys", "revoke", "--workspace", workspace.Owner.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", "Test key");

        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "key_revoked");
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client), HttpStatusCode.Unauthorized, "key_revoked");
    }

    [Fact]
    public async Task A_trial_workspace_gets_403_plan_no_api_access()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, WorkspacePlan.Trial, credits: 10);
        using var client = workspace.Client(app);

        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Forbidden, "plan_no_api_access");
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client), HttpStatusCode.Forbidden, "plan_no_api_access");
        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/credits"), HttpStatusCode.Forbidden, "plan_no_api_access");
    }

    [Fact]
    public async Task Pro_without_purchased_credits_gets_402_api_credits_required()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 0);
        using var client = workspace.Client(app);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client), HttpStatusCode.PaymentRequired, "api_credits_required");
    }

    [Fact]
    public async Task Pro_with_too_low_a_balance_gets_402_insufficient_credits_and_is_not_charged()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 0.000001m);
        using var client = workspace.Client(app);

        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client, maxTokens: 1000), HttpStatusCode.PaymentRequired, "insufficient_credits");
        Assert.Equal(1, await BalanceMicrosAsync(workspace));
    }

    [Fact]
    public async Task A_successful_request_is_charged_and_says_so_in_its_headers()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 5);
        using var client = workspace.Client(app);

        var response = await ApiWorkspace.ChatAsync(client, "Echo me", maxTokens: 50);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await BalanceMicrosAsync(workspace);
        Assert.True(balance < 5_000_000, "the balance fell");
        Assert.Contains("Echo me", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Exact to the micro-credit (echo-1 costs a few micro-credits), and what the usage ledger entry debited.
        await using var scope = app.CreateScope();
        var debit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().LedgerEntries
            .SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.AmountMicros < 0);
        Assert.Equal(5_000_000 + debit.AmountMicros, balance);
        Assert.Equal(Exact(-debit.AmountMicros), response.Headers.GetValues("X-Credits-Charged").Single());
        Assert.Equal(Exact(balance), response.Headers.GetValues("X-Credits-Remaining").Single());
    }

    // Written out by hand rather than with the app's formatter, so a wrong formatter cannot agree with itself.
    private static string Exact(long micros) =>
        $"{micros / 1_000_000}.{(micros % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)}";

    private async Task<long> BalanceMicrosAsync(ApiWorkspace workspace)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync();
    }

    public void Dispose() => app.Dispose();
}
