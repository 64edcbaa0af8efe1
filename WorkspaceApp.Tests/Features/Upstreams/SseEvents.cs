using System.Net.Http.Json;
using System.Text.Json;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>A streamed chat completion as the client received it: the data events and the SSE comments, in order.</summary>
public sealed record SseEvents(IReadOnlyList<string> Data, IReadOnlyList<string> Comments)
{
    public static HttpRequestMessage Request(string model, bool includeUsage, int maxTokens = 100, string content = "Hello there") =>
        new(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model,
                max_tokens = maxTokens,
                stream = true,
                stream_options = includeUsage ? new { include_usage = true } : null,
                messages = new[] { new { role = "user", content } },
            }),
        };

    public static SseEvents Parse(string body)
    {
        var lines = body.Split('\n');
        return new(
            lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList(),
            lines.Where(l => l.StartsWith(": ", StringComparison.Ordinal)).Select(l => l[2..]).ToList());
    }

    public IEnumerable<JsonElement> Chunks => Data.Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement);

    /// <summary>The text of all content deltas together.</summary>
    public string Content => string.Concat(Chunks.Where(c => c.TryGetProperty("choices", out var ch) && ch.GetArrayLength() > 0)
        .Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));

    public string Comment(string name) => Comments.Single(c => c.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..];
}
