using System.Net;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>The upstream's API key goes to the upstream and nowhere else: not to a client, not to a log line.</summary>
public sealed class UpstreamSecretTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync(timeoutSeconds: 1);

    [Fact]
    public async Task The_upstream_key_never_appears_in_responses_or_logs()
    {
        // OpenAI quotes the key it was sent in its 401 message; the gateway must not pass that on.
        gateway.Upstream.Script(
            FakeUpstream.Answer("fine", promptTokens: 10, completionTokens: 1),
            FakeUpstream.Error(401, $"Incorrect API key provided: {FakeUpstream.ApiKey}. You can find your API key at https://example.com."),
            FakeUpstream.Error(500, $"internal error for key {FakeUpstream.ApiKey}"),
            FakeUpstream.Drop(),
            gateway.Upstream.Hang());
        var (client, _) = await gateway.ClientAsync();

        var bodies = new List<string> { await client.GetStringAsync("/v1/models") };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var response = await gateway.ChatAsync(client);
            statuses.Add(response.StatusCode);
            bodies.Add(response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync());
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.BadGateway, HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout], statuses);
        Assert.Contains("Incorrect API key provided: [redacted]", bodies[2], StringComparison.Ordinal);
        Assert.All(gateway.Upstream.Requests, r => Assert.Equal($"Bearer {FakeUpstream.ApiKey}", r.Authorization));
        foreach (var needle in new[] { FakeUpstream.ApiKey, FakeUpstream.ApiKey[3..15], FakeUpstream.ApiKey[^12..] })
        {
            Assert.DoesNotContain(bodies, b => b.Contains(needle, StringComparison.Ordinal));
            Assert.DoesNotContain(gateway.App.Logs.Lines, l => l.Contains(needle, StringComparison.Ordinal));
        }
        // The logs did capture the upstream traffic (HttpClient's request logging and our warnings), so the scan means something.
        Assert.Contains(gateway.App.Logs.Lines, l => l.Contains("upstream:fake", StringComparison.Ordinal) && l.Contains("Authorization", StringComparison.Ordinal));
        Assert.Contains(gateway.App.Logs.Lines, l => l.Contains("Upstream fake (model gpt-test) answered 401", StringComparison.Ordinal));
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
