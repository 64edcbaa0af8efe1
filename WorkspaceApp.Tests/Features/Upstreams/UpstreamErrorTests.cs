using System.Net;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>Every upstream failure becomes our OpenAI-shaped error, releases the whole hold and charges nothing.</summary>
public sealed class UpstreamErrorTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync(timeoutSeconds: 1);

    [Theory]
    [InlineData(400, HttpStatusCode.BadRequest, "upstream_rejected")]
    [InlineData(404, HttpStatusCode.BadRequest, "upstream_rejected")]
    [InlineData(422, HttpStatusCode.BadRequest, "upstream_rejected")]
    [InlineData(429, HttpStatusCode.TooManyRequests, "upstream_rate_limited")]
    [InlineData(500, HttpStatusCode.BadGateway, "upstream_error")]
    [InlineData(503, HttpStatusCode.BadGateway, "upstream_error")]
    public async Task An_upstream_error_status_is_mapped_and_nothing_is_charged(int upstreamStatus, HttpStatusCode status, string code)
    {
        gateway.Upstream.Script(FakeUpstream.Error(upstreamStatus, "The upstream says no: context too long."));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await gateway.ChatAsync(client);

        await ApiAssert.ErrorAsync(response, status, code);
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
        // Neither an error answer nor a 429/503 without Retry-After is tried again.
        Assert.Single(gateway.Upstream.Requests);
    }

    [Fact]
    public async Task A_rejection_passes_on_the_upstreams_message_bounded_in_length()
    {
        gateway.Upstream.Script(FakeUpstream.Error(400, "This model's maximum context length is 8192 tokens. " + new string('x', 5000)));
        var (client, _) = await gateway.ClientAsync();

        var response = await gateway.ChatAsync(client);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("maximum context length is 8192 tokens", body, StringComparison.Ordinal);
        Assert.True(body.Length < 800, $"{body.Length} characters");
    }

    [Fact]
    public async Task A_broken_connection_is_502_and_charges_nothing()
    {
        gateway.Upstream.Script(FakeUpstream.Drop());
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await gateway.ChatAsync(client);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadGateway, "upstream_error");
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
        Assert.Single(gateway.Upstream.Requests); // the request reached the upstream: not retried
    }

    [Fact]
    public async Task A_hang_past_the_timeout_is_504_and_releases_the_hold()
    {
        gateway.Upstream.Script(gateway.Upstream.Hang());
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await gateway.ChatAsync(client);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
    }

    [Fact]
    public async Task A_client_that_leaves_cancels_the_upstream_request_and_gets_its_hold_back()
    {
        gateway.Upstream.Script(gateway.Upstream.Hang());
        var (client, workspace) = await gateway.ClientAsync(credits: 10);
        using var leave = new CancellationTokenSource();

        var request = gateway.ChatAsync(client, cancel: leave.Token);
        await Eventually.WaitAsync(() => Task.FromResult(!gateway.Upstream.Requests.IsEmpty), TimeSpan.FromSeconds(10), "the request reaches the upstream");
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await Eventually.WaitAsync(() => Task.FromResult(gateway.Upstream.AbortedRequests == 1), TimeSpan.FromSeconds(10), "the upstream request is cancelled");
        await Eventually.WaitAsync(async () => await gateway.UsageCountAsync(workspace) == 1, TimeSpan.FromSeconds(10), "the hold is released");
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
    }

    [Fact]
    public async Task A_429_or_503_with_a_short_Retry_After_is_retried()
    {
        gateway.Upstream.Script(FakeUpstream.Error(429, "slow down", retryAfter: 0), FakeUpstream.Error(503, "warming up", retryAfter: 0),
            FakeUpstream.Answer("Third time lucky", promptTokens: 20, completionTokens: 3));
        var (client, _) = await gateway.ClientAsync();

        var response = await gateway.ChatAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Third time lucky", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, gateway.Upstream.Requests.Count);
    }

    [Fact]
    public async Task A_429_with_a_long_Retry_After_is_passed_on_without_waiting()
    {
        gateway.Upstream.Script(FakeUpstream.Error(429, "slow down", retryAfter: 120));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await gateway.ChatAsync(client);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.TooManyRequests, "upstream_rate_limited");
        Assert.Single(gateway.Upstream.Requests);
        await gateway.AssertNothingChargedAsync(workspace, 10_000_000);
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
