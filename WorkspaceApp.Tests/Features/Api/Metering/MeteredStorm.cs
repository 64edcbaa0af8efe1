using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>
/// One request of a storm against a real app process that may be killed under it. Request i sends 5(i+1) words, so
/// its prompt token count (in its answer and its ledger entry) identifies it; each holds and costs 1 credit with
/// max_tokens 1 at the crash tests' prices.
/// </summary>
internal static class MeteredStorm
{
    /// <summary>The settings of an app process for a storm on <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string> Settings(WorkspaceApp.Data.DatabaseProvider provider, string connectionString) => new()
    {
        ["Database:Provider"] = provider.ToString(),
        ["ConnectionStrings:Default"] = connectionString,
        ["Billing:Provider"] = "Test",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Api:RateLimitPermits"] = "100000",
        // Small batches, so that commits (and answers) are spread over the run and a kill lands among them.
        ["Api:MeterBatchSize"] = "4",
        // A restarted process is a new instance: the dead one's holds are released once its heartbeat is this old.
        ["Api:InstanceTimeoutSeconds"] = "15",
        // 1 credit per output token, nothing for input: each request (max_tokens 1) holds and costs 1 credit.
        ["Pricing:Models:echo-1:InputPerMillion"] = "0",
        ["Pricing:Models:echo-1:OutputPerMillion"] = "1000000",
    };

    /// <summary>
    /// Sends requests 0..count-1, <paramref name="inFlight"/> at any time: however slowly a loaded test process gets to
    /// a kill, the app cannot have answered them all before it, and the kill lands among requests at every stage.
    /// </summary>
    public static async Task<(int Status, int? PromptTokens)[]> RunAsync(int count, int inFlight, Func<int, HttpClient> client, Func<Task> afterAnswer)
    {
        var next = -1;
        var outcomes = new (int Status, int? PromptTokens)[count];
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                outcomes[i] = await SendAsync(client(i), i, afterAnswer);
            }
        }));
        return outcomes;
    }

    /// <summary>The status (0: no answer, the process died under it) and, for a 200, the prompt token count.</summary>
    public static async Task<(int Status, int? PromptTokens)> SendAsync(HttpClient http, int i, Func<Task> afterAnswer)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "echo-1",
                max_tokens = 1,
                messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("cat", 5 * (i + 1))) } },
            });
            await afterAnswer();
            if (response.StatusCode != HttpStatusCode.OK) return ((int)response.StatusCode, null);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (200, body.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (0, null);
        }
    }

    /// <summary>The usage ledger line of the request whose prompt had <paramref name="promptTokens"/> tokens.</summary>
    public static string LedgerLine(int promptTokens) => $"API usage: echo-1, {promptTokens} input + 1 output tokens";
}

/// <summary>Kills a server (kill -9) right after the n-th answer of a storm, on the thread that saw it.</summary>
internal sealed class KillSwitch(WorkspaceApp.E2E.Infrastructure.AppServer server, int afterAnswers)
{
    private readonly TaskCompletionSource killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int answered;

    public Task Killed => killed.Task;

    public async Task OnAnswerAsync()
    {
        if (Interlocked.Increment(ref answered) != afterAnswers) return;
        try { await server.KillAsync(); }
        finally { killed.TrySetResult(); }
    }
}
