using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>Embeddings answers of the fake upstream, as OpenAI sends them.</summary>
public sealed partial class FakeUpstream
{
    /// <summary>The vector the fake gives for the text at <paramref name="index"/>: [index, 0.5, -0.25].</summary>
    public static float[] VectorFor(int index) => [index, 0.5f, -0.25f];

    /// <summary>One vector per input, listed in reverse order (the index says which is which); usage left out when null.</summary>
    public static Func<HttpContext, Task> Embeddings(int? promptTokens) => context =>
    {
        var body = (JsonObject)context.Items["body"]!;
        var count = body["input"]!.AsArray().Count;
        var data = new JsonArray(Enumerable.Range(0, count).Reverse().Select(i => (JsonNode)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = i,
            ["embedding"] = new JsonArray(VectorFor(i).Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        }).ToArray());
        var answer = new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = "upstream-embed" };
        if (promptTokens is not null) answer["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["total_tokens"] = promptTokens };
        return Results.Json(answer).ExecuteAsync(context);
    };
}
