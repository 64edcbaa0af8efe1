using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>Streamed answers of the fake upstream, as OpenAI sends them: "chat.completion.chunk" events and [DONE].</summary>
public sealed partial class FakeUpstream
{
    public enum StreamEnd { Done, Hang, Drop }

    /// <summary>
    /// A streamed answer: a role chunk, one chunk per piece, the finish chunk, the usage chunk (when the request asked
    /// for it and <paramref name="promptTokens"/> is set) and [DONE]; or, after the pieces, a hang or (at
    /// <see cref="BreakStreams"/>) a broken connection. <paramref name="pieceGap"/> paces the pieces like a slow model.
    /// </summary>
    public Func<HttpContext, Task> Stream(string[] pieces, int? promptTokens, int? completionTokens, StreamEnd end = StreamEnd.Done, TimeSpan pieceGap = default) => async context =>
    {
        var body = (JsonObject)context.Items["body"]!;
        context.Response.ContentType = "text/event-stream";
        await EventAsync(context, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        foreach (var piece in pieces)
        {
            await Task.Delay(pieceGap, context.RequestAborted); // a slow model, not synchronisation
            await EventAsync(context, Chunk(new JsonObject { ["content"] = piece }, null));
        }
        if (end == StreamEnd.Hang)
        {
            await WaitForAbortAsync(context);
            return;
        }
        if (end == StreamEnd.Drop)
        {
            // Aborting at once could drop pieces still in Kestrel's buffers: break only once they have arrived.
            await breakSignal.Task.WaitAsync(context.RequestAborted);
            context.Abort();
            return;
        }
        await EventAsync(context, Chunk(new JsonObject(), "stop"));
        if (promptTokens is not null && (bool?)body["stream_options"]?["include_usage"] == true)
        {
            await EventAsync(context, new JsonObject
            {
                ["id"] = "chatcmpl-upstream", ["object"] = "chat.completion.chunk", ["created"] = 1_767_225_600, ["model"] = "upstream-model",
                ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
            }.ToJsonString());
        }
        await context.Response.WriteAsync("data: [DONE]\n\n");
    };

    private static string Chunk(JsonObject delta, string? finish) => new JsonObject
    {
        ["id"] = "chatcmpl-upstream", ["object"] = "chat.completion.chunk", ["created"] = 1_767_225_600, ["model"] = "upstream-model",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
    }.ToJsonString();

    private static async Task EventAsync(HttpContext context, string json)
    {
        await context.Response.WriteAsync($"data: {json}\n\n");
        await context.Response.Body.FlushAsync();
    }
}
