using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Tests.Infrastructure;
using static WorkspaceApp.Tests.Features.Upstreams.FakeUpstream;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>The upstream's timeout (1 s here) bounds each wait of a stream, not the whole answer.</summary>
public sealed class UpstreamStreamTimeoutTests : IAsyncLifetime
{
    private static readonly string[] Pieces = ["Slow ", "and ", "steady ", "wins ", "the ", "race."];
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync(timeoutSeconds: 1);

    [Fact]
    public async Task A_stream_longer_than_the_timeout_is_not_cut_while_pieces_keep_coming()
    {
        gateway.Upstream.Script(gateway.Upstream.Stream(Pieces, promptTokens: 25, completionTokens: 40, pieceGap: TimeSpan.FromMilliseconds(300)));
        var (client, _) = await gateway.ClientAsync();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage: false));
        var events = SseEvents.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(1.5), $"{watch.Elapsed}");
        Assert.Equal(string.Concat(Pieces), events.Content);
        Assert.Equal("[DONE]", events.Data[^1]);
        Assert.Equal(Money(UpstreamApp.Cost(25, 40)), events.Comment("X-Credits-Charged"));
    }

    [Fact]
    public async Task A_stream_that_stalls_past_the_timeout_ends_with_an_error_event_and_charges_what_was_produced()
    {
        gateway.Upstream.Script(gateway.Upstream.Stream(Pieces, promptTokens: 25, completionTokens: 40, StreamEnd.Hang));
        var (client, workspace) = await gateway.ClientAsync(credits: 10);

        var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = SseEvents.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(string.Concat(Pieces), events.Content);
        Assert.Equal("upstream_timeout", JsonDocument.Parse(events.Data[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        await Eventually.WaitAsync(() => Task.FromResult(gateway.Upstream.AbortedRequests == 1), TimeSpan.FromSeconds(10), "the upstream request is cancelled");
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        var charged = UpstreamApp.Cost(3 + tokens.Count("user") + tokens.Count("Hello there") + 3, tokens.Count(string.Concat(Pieces)));
        await Eventually.WaitAsync(async () => await gateway.UsageCountAsync(workspace) == 1, TimeSpan.FromSeconds(10), "the stream is settled");
        Assert.Equal(10_000_000 - charged, await gateway.BalanceAsync(workspace));
    }

    private static string Money(long micros) => WorkspaceApp.Features.Billing.Money.FormatExact(micros);

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
