using System.Net;
using System.Net.Http.Headers;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>Forged keys earn no budget of their own: failed authentications are limited per client IP.</summary>
public sealed class AbuseLimitTests : IDisposable
{
    private const string Forged = "wsk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private readonly AppFactory app = new AppFactory().With("Api:FailedAuthPermitsPerIp", "3").With("Api:FailedAuthWindowSeconds", "60");

    [Fact]
    public async Task Past_the_failed_authentication_limit_an_ip_gets_429_for_bad_keys_but_its_valid_key_still_works()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var server = app.WithClientIps();
        using var attacker = server.CreateClient("203.0.113.7");
        using var neighbour = server.CreateClient("198.51.100.9");

        // A different forged key each time: a limiter keyed on the presented key would never say no.
        for (var i = 0; i < 3; i++) await ApiAssert.ErrorAsync(await GetModelsAsync(attacker, $"{Forged}{i}"), HttpStatusCode.Unauthorized, "invalid_api_key");
        var limited = await GetModelsAsync(attacker, Forged + "x");
        await ApiAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
        await ApiAssert.ErrorAsync(await GetModelsAsync(attacker, null), HttpStatusCode.TooManyRequests, "rate_limit_exceeded");

        Assert.Equal(HttpStatusCode.OK, (await GetModelsAsync(attacker, workspace.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(WithKey(attacker, workspace.Key))).StatusCode);
        await ApiAssert.ErrorAsync(await GetModelsAsync(neighbour, Forged), HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task A_workspace_has_one_budget_across_its_keys()
    {
        using var limited = new AppFactory().With("Api:RateLimitPermits", "100").With("Api:WorkspaceRateLimitPermits", "3");
        var workspace = await ApiWorkspace.CreateAsync(limited, credits: 10);
        var secondKey = await ApiWorkspace.CreateKeyAsync(limited, workspace.Owner.WorkspaceId, "Second key");
        var other = await ApiWorkspace.CreateAsync(limited, credits: 10);
        using var first = workspace.Client(limited);
        using var second = workspace.Client(limited, secondKey);

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/v1/models")).StatusCode);
        var overBudget = await second.GetAsync("/v1/models");

        await ApiAssert.ErrorAsync(overBudget, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.True(overBudget.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
        using var otherClient = other.Client(limited);
        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync("/v1/models")).StatusCode);
    }

    private static Task<HttpResponseMessage> GetModelsAsync(HttpClient client, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public void Dispose() => app.Dispose();
}
