using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>Limit windows, expiry and rotation grace over time, with a fake clock that starts an hour before a new month.</summary>
public sealed class KeyClockTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.Zero));
    private readonly ServicesAppFactory app;

    public KeyClockTests() => app = (ServicesAppFactory)new ServicesAppFactory(DatabaseProvider.Sqlite, services => services.AddSingleton<TimeProvider>(clock))
        .With("Pricing:Models:echo-1:InputPerMillion", "0")
        .With("Pricing:Models:echo-1:OutputPerMillion", "1000000");

    [Theory]
    [InlineData(ApiKeyLimitPeriod.Day, 25, 1)]   // the limit is back after midnight UTC...
    [InlineData(ApiKeyLimitPeriod.Month, 25, 1)] // ...and after the first of the month
    [InlineData(ApiKeyLimitPeriod.Day, 0.5, 0)]  // not before it
    [InlineData(ApiKeyLimitPeriod.Total, 25, 0)] // and never for a total limit
    public async Task The_limit_window_rolls_over_at_the_start_of_the_next_utc_day_or_month(ApiKeyLimitPeriod period, double hoursLater, int moreAllowed)
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var (_, key) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(period, Money.FromCredits(2)));
        using var client = workspace.Client(app, key);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client, maxTokens: 1), HttpStatusCode.PaymentRequired, "key_limit_exceeded");

        clock.Advance(TimeSpan.FromHours(hoursLater)); // 23:30 the same day, or 00:00 the next (1 April) when 1 hour
        var later = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ApiWorkspace.ChatAsync(client, maxTokens: 1)));
        Assert.Equal(moreAllowed * 2, later.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(10_000_000 - (2 + moreAllowed * 2) * 1_000_000, await KeyLimitData.BalanceAsync(app, workspace.Owner.WorkspaceId));
    }

    [Fact]
    public async Task An_expired_key_gets_401_key_expired()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var expires = clock.GetUtcNow().UtcDateTime.AddDays(2);
        var (_, key) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(ExpiresAtUtc: expires));
        using var client = workspace.Client(app, key);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);

        clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(1));
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client, maxTokens: 1), HttpStatusCode.Unauthorized, "key_expired");
        using var other = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(other, maxTokens: 1)).StatusCode);
    }

    [Fact]
    public async Task A_rotated_key_works_during_its_grace_period_and_is_refused_after_it()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var (keyId, oldKey) = await KeyLimitData.GenerateAsync(app, workspace.Owner, ApiKeyLimits.None);
        var newKey = await RotateAsync(workspace.Owner, keyId, TimeSpan.FromHours(1));
        using var oldClient = workspace.Client(app, oldKey);
        using var newClient = workspace.Client(app, newKey.Plaintext);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(oldClient, maxTokens: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(newClient, maxTokens: 1)).StatusCode);
        clock.Advance(TimeSpan.FromMinutes(1));
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(oldClient, maxTokens: 1), HttpStatusCode.Unauthorized, "key_revoked");
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(newClient, maxTokens: 1)).StatusCode);
    }

    [Fact]
    public async Task A_key_in_its_grace_period_can_still_be_revoked_at_once()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var (keyId, oldKey) = await KeyLimitData.GenerateAsync(app, workspace.Owner, ApiKeyLimits.None);
        await RotateAsync(workspace.Owner, keyId, TimeSpan.FromDays(7));
        using var oldClient = workspace.Client(app, oldKey);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(oldClient, maxTokens: 1)).StatusCode);

        await using var scope = app.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var revoked = await keys.RevokeAsync(workspace.Owner.Principal, workspace.Owner.WorkspaceId, keyId);
        Assert.True(revoked.Succeeded, revoked.Error);
        Assert.Equal(ApiKeyStatus.Revoked, revoked.Value!.Status);
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(oldClient, maxTokens: 1), HttpStatusCode.Unauthorized, "key_revoked");
    }

    private async Task<GeneratedApiKey> RotateAsync(TestUser owner, int keyId, TimeSpan grace)
    {
        await using var scope = app.CreateScope();
        var rotated = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RotateAsync(owner.Principal, owner.WorkspaceId, keyId, grace);
        Assert.True(rotated.Succeeded, rotated.Error);
        return rotated.Value!;
    }

    public void Dispose() => app.Dispose();
}
