using System.Text;

// Usage: FakeUpstream <port>
// POST /v1/chat/completions answers at once, with no model behind it: 8 words, as one JSON completion or, with
// "stream": true, as 8 chunk events (each flushed) plus the finish and usage chunks and [DONE]. The benchmark then
// measures only what lies between a client and this server: the gateway, or nothing.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{args[0]}");
builder.Logging.ClearProviders();
var app = builder.Build();

string[] words = ["The ", "gateway ", "forwards ", "this ", "answer ", "word ", "by ", "word."];
const string Usage = """{"prompt_tokens":20,"completion_tokens":8,"total_tokens":28}""";
var whole = Encoding.UTF8.GetBytes(
    $$"""{"id":"chatcmpl-bench","object":"chat.completion","created":1767225600,"model":"bench-upstream","choices":[{"index":0,"message":{"role":"assistant","content":"{{string.Concat(words)}}"},"finish_reason":"stop"}],"usage":{{Usage}}}""");
byte[] Event(string json) => Encoding.UTF8.GetBytes($"data: {json}\n\n");
byte[] Chunk(string delta, string finish) =>
    Event($$"""{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1767225600,"model":"bench-upstream","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finish}}}]}""");
var events = new List<byte[]> { Chunk("""{"role":"assistant","content":""}""", "null") };
events.AddRange(words.Select(w => Chunk($$"""{"content":"{{w}}"}""", "null")));
events.Add(Chunk("{}", "\"stop\""));
events.Add(Event($$"""{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1767225600,"model":"bench-upstream","choices":[],"usage":{{Usage}}}"""));
events.Add(Encoding.UTF8.GetBytes("data: [DONE]\n\n"));

app.MapPost("/v1/chat/completions", async (HttpContext http) =>
{
    // The body is read in full, as a real upstream would; only "stream" matters here.
    using var reader = new StreamReader(http.Request.Body);
    var body = await reader.ReadToEndAsync(http.RequestAborted);
    if (!body.Contains("\"stream\":true", StringComparison.Ordinal))
    {
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(whole, http.RequestAborted);
        return;
    }
    http.Response.ContentType = "text/event-stream";
    foreach (var e in events)
    {
        await http.Response.Body.WriteAsync(e, http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
});
app.Run();
