using System.Text.Json;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Upstreams;

/// <summary>Embeddings through the upstream: POST {BaseUrl}/embeddings, with the same timeout, retries and error mapping as chat.</summary>
public sealed partial class UpstreamModel
{
    public async Task<EmbeddingAnswer> EmbedAsync(IReadOnlyList<string> inputs, int? dimensions, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        return await Guard(async () =>
        {
            using var response = await SendAsync(options.EmbeddingsUrl, new UpstreamEmbeddingRequest(upstreamModelId, inputs, dimensions), deadline.Token);
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(deadline.Token), cancellationToken: deadline.Token);
            var (vectors, promptTokens) = UpstreamWire.ParseEmbeddings(json.RootElement, inputs.Count);
            return new EmbeddingAnswer(vectors, promptTokens);
        }, ct);
    }
}
