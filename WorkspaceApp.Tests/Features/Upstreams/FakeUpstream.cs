using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>
/// An OpenAI-compatible provider on 127.0.0.1 (a real Kestrel server): POST /v1/chat/completions (and /v1/embeddings,
/// FakeUpstream.Embeddings.cs) answers with what
/// the test scripted (<see cref="Answer"/>, <see cref="Error"/>, <see cref="Hang"/>, <see cref="Drop"/>, streams in
/// FakeUpstream.Streams.cs), one script
/// per request in order, the last one repeating. Records every request it received.
/// </summary>
public sealed partial class FakeUpstream : IAsyncDisposable
{
    public const string ApiKey = "sk-upstream-Zq8vK3mN5pR7tW9yB2dF4hJ6";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> scripts = new();
    private Func<HttpContext, Task> last;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<(string? Authorization, JsonObject Body)> Requests { get; } = new();

    /// <summary>How many requests (hanging ones, streams still sending) the caller gave up on.</summary>
    public int AbortedRequests => abortedRequests;
    private int abortedRequests;
    private readonly TaskCompletionSource breakSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets a <see cref="StreamEnd.Drop"/> stream break its connection (once the test saw its pieces arrive).</summary>
    public void BreakStreams() => breakSignal.TrySetResult();

    private FakeUpstream(WebApplication app)
    {
        this.app = app;
        last = Answer("Hello from upstream", promptTokens: 1234, completionTokens: 567);
    }

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.MapPost("/v1/chat/completions", fake.HandleAsync);
        app.MapPost("/v1/embeddings", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return fake;
    }

    /// <summary>The next requests get these answers, in order; the last one then answers every later request.</summary>
    public FakeUpstream Script(params Func<HttpContext, Task>[] answers)
    {
        foreach (var answer in answers) scripts.Enqueue(answer);
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue((context.Request.Headers.Authorization, body));
        context.Items["body"] = body;
        if (scripts.TryDequeue(out var next)) last = next;
        await last(context);
    }

    /// <summary>A chat completion; the usage is left out when <paramref name="promptTokens"/> is null.</summary>
    public static Func<HttpContext, Task> Answer(string content, int? promptTokens, int? completionTokens, string finish = "stop") => context =>
    {
        var answer = new JsonObject
        {
            ["id"] = "chatcmpl-upstream",
            ["object"] = "chat.completion",
            ["created"] = 1_767_225_600,
            ["model"] = "upstream-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["finish_reason"] = finish,
            }),
        };
        if (promptTokens is not null)
            answer["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens };
        return Results.Json(answer).ExecuteAsync(context);
    };

    /// <summary>An OpenAI-shaped error, optionally with Retry-After (seconds).</summary>
    public static Func<HttpContext, Task> Error(int status, string message, int? retryAfter = null) => context =>
    {
        if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(new { error = new { message, type = "invalid_request_error", code = "upstream_code" } }, statusCode: status).ExecuteAsync(context);
    };

    /// <summary>Never answers: waits until the caller gives up (the gateway's timeout closes the connection).</summary>
    public Func<HttpContext, Task> Hang() => WaitForAbortAsync;

    /// <summary>Waits until the caller gives up on the request, and counts that it did.</summary>
    private async Task WaitForAbortAsync(HttpContext context)
    {
        try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
        catch (OperationCanceledException) { Interlocked.Increment(ref abortedRequests); }
    }

    /// <summary>Sends the headers and half a JSON body, then breaks the connection.</summary>
    public static Func<HttpContext, Task> Drop() => async context =>
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 1000;
        await context.Response.WriteAsync("{\"id\":\"chatcmpl-upstream\",\"choi");
        await context.Response.Body.FlushAsync();
        context.Abort();
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
