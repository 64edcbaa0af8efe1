using System.Net;
using System.Text;
using EventTypes = Stripe.EventTypes;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>The webhook reads at most <see cref="StripeWebhookEndpoint.MaxBodyBytes"/>, whether or not the size is announced.</summary>
public sealed class StripeWebhookBodyTests() : StripeAppTests(DatabaseProvider.Sqlite)
{
    private static readonly byte[] TooLarge = Encoding.UTF8.GetBytes("{\"id\":\"" + new string('a', StripeWebhookEndpoint.MaxBodyBytes) + "\"}");

    private async Task<HttpStatusCode> PostAsync(HttpContent content)
    {
        content.Headers.Add("Stripe-Signature", FakeStripe.Sign("{}", DateTimeOffset.UtcNow));
        using var client = App.CreateClient();
        return (await client.PostAsync("/webhooks/stripe", content)).StatusCode;
    }

    [Fact]
    public async Task A_body_announced_over_the_cap_gets_413()
    {
        using var content = new ByteArrayContent(TooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(content));
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_without_a_length_gets_413()
    {
        using var content = new ChunkedContent(TooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(content));
    }

    [Fact]
    public async Task A_signed_event_just_under_the_cap_is_accepted_chunked_or_not()
    {
        var (user, _, sessionId) = await StartAsync();
        Fake.Complete(sessionId);
        var json = Fake.EventJson(EventTypes.CheckoutSessionCompleted, sessionId);
        // JSON allows whitespace: the same event, padded to just under the cap.
        var body = json[..^1] + new string(' ', StripeWebhookEndpoint.MaxBodyBytes - Encoding.UTF8.GetByteCount(json) - 1) + "}";
        var signature = FakeStripe.Sign(body, DateTimeOffset.UtcNow);

        using var chunked = new ChunkedContent(Encoding.UTF8.GetBytes(body));
        chunked.Headers.Add("Stripe-Signature", signature);
        using var client = App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/webhooks/stripe", chunked)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body, signature));

        Assert.Equal(Money.FromCredits(25), (await StateAsync(user)).Balance);
    }

    /// <summary>A body sent without Content-Length (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
