using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Usage: LoadGen <baseUrl[,baseUrl...]> <apiKey> <connections> <seconds> <live|get|chat> [warmupSeconds=5]
// Several base URLs (instances of one deployment): the connections are spread over them round-robin.
// Warms up (JIT tiering, connection pool, SQLite cache) for warmupSeconds, then keeps <connections> requests in
// flight for <seconds> and prints one line:
// "<name> requests=N ok=N rps=X p50_ms=X p99_ms=X statuses=200:N,402:N"
var (baseUrl, key, connections, seconds, mode) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
var warmupSeconds = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 5;

var clients = baseUrl.Split(',').Select(url =>
{
    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(url) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    return client;
}).ToArray();
const string ChatBody = """{"model":"echo-1","max_tokens":16,"messages":[{"role":"user","content":"Hello from the benchmark, please echo this."}]}""";

HttpRequestMessage NewRequest() => mode switch
{
    "chat" => new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(ChatBody, Encoding.UTF8, "application/json") },
    "live" => new HttpRequestMessage(HttpMethod.Get, "/healthz/live"), // the bare endpoint: the app's own floor
    _ => new HttpRequestMessage(HttpMethod.Get, "/v1/models"),
};

await RunAsync(warmupSeconds);
var (latencies, statuses, elapsed) = await RunAsync(seconds);

var all = latencies.SelectMany(l => l).Order().ToArray();
var codes = statuses.SelectMany(s => s).GroupBy(s => s.Key).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Sum(x => x.Value)}");
double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode} requests={all.Length} ok={statuses.Sum(s => s.GetValueOrDefault(200))} rps={all.Length / elapsed.TotalSeconds:F0} p50_ms={Percentile(0.50):F2} p99_ms={Percentile(0.99):F2} statuses={string.Join(',', codes)}"));

async Task<(List<double>[] Latencies, Dictionary<int, long>[] Statuses, TimeSpan Elapsed)> RunAsync(int forSeconds)
{
    var latencies = new List<double>[connections];
    var statuses = new Dictionary<int, long>[connections];
    var stopAt = Stopwatch.GetTimestamp() + (long)(forSeconds * Stopwatch.Frequency);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
    {
        latencies[worker] = [];
        statuses[worker] = [];
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await clients[worker % clients.Length].SendAsync(NewRequest());
            await response.Content.ReadAsByteArrayAsync();
            latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var code = (int)response.StatusCode;
            statuses[worker][code] = statuses[worker].GetValueOrDefault(code) + 1;
        }
    }));
    return (latencies, statuses, clock.Elapsed);
}
