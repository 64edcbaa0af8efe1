using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

// Usage: GatewayBench <gatewayUrl> <apiKey> <upstreamUrl> <seconds> <warmupSeconds>
// The same chat request sent straight to the fake upstream and through the gateway (model bench1), streamed and
// not, with 1 and 32 requests in flight; for each: time to first token (the first event with text; for a whole
// answer, the answer) and total time, p50 and p99, and the gateway's overhead = through the gateway - straight.
// The last column is the built-in echo-1 through the same gateway (no upstream): what the API and its metering
// (key check, credit check, hold and settlement committed to the database) cost without any forwarding.
var (gateway, key, upstream) = (args[0], args[1], args[2]);
var seconds = int.Parse(args[3], CultureInfo.InvariantCulture);
var warmup = int.Parse(args[4], CultureInfo.InvariantCulture);
var firstText = new Regex("\"content\":\"[^\"]", RegexOptions.Compiled);

using var toGateway = Client(gateway, key);
using var toUpstream = Client(upstream, null);

// The JIT tiers the gateway's code up only after some traffic: warm both paths, both modes, before measuring.
foreach (var stream in new[] { false, true })
{
    await MeasureAsync(toGateway, "bench1", stream, 32, warmup);
    await MeasureAsync(toGateway, "echo-1", stream, 32, Math.Max(1, warmup / 4));
    await MeasureAsync(toUpstream, "bench-upstream", stream, 32, Math.Max(1, warmup / 4));
}

Console.WriteLine($"{"mode",-10} {"conns",5} | {"straight ttft p50/p99",22} | {"gateway ttft p50/p99",21} | {"overhead ttft p50/p99",22} | {"straight total p50/p99",23} | {"gateway total p50/p99",22} | {"overhead total p50/p99",23} | {"echo-1 total p50/p99",21} | req/s straight, gateway");
foreach (var connections in new[] { 1, 32 })
{
    foreach (var stream in new[] { false, true })
    {
        var straight = await MeasureAsync(toUpstream, "bench-upstream", stream, connections, seconds);
        var through = await MeasureAsync(toGateway, "bench1", stream, connections, seconds);
        var builtIn = await MeasureAsync(toGateway, "echo-1", stream, connections, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(stream ? "streamed" : "whole"),-10} {connections,5} | {Pair(straight.Ttft),22} | {Pair(through.Ttft),21} | {Diff(through.Ttft, straight.Ttft),22} | {Pair(straight.Total),23} | {Pair(through.Total),22} | {Diff(through.Total, straight.Total),23} | {Pair(builtIn.Total),21} | {straight.Rps:F0}, {through.Rps:F0}{(through.Failures + straight.Failures > 0 ? $" FAILURES {straight.Failures}/{through.Failures}" : "")}"));
    }
}

static string Pair((double P50, double P99) p) => string.Create(CultureInfo.InvariantCulture, $"{p.P50:F2} / {p.P99:F2} ms");
static string Diff((double P50, double P99) a, (double P50, double P99) b) => string.Create(CultureInfo.InvariantCulture, $"{a.P50 - b.P50:+0.00;-0.00} / {a.P99 - b.P99:+0.00;-0.00} ms");

static HttpClient Client(string baseUrl, string? key)
{
    var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(baseUrl) };
    if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    return http;
}

async Task<Result> MeasureAsync(HttpClient http, string model, bool stream, int connections, int forSeconds)
{
    var body = $$"""{"model":"{{model}}","max_tokens":16,"stream":{{(stream ? "true" : "false")}},"stream_options":{{(stream ? """{"include_usage":true}""" : "null")}},"messages":[{"role":"user","content":"Hello from the benchmark, please answer this."}]}""";
    var ttft = new List<double>[connections];
    var total = new List<double>[connections];
    var failures = 0;
    var stopAt = Stopwatch.GetTimestamp() + (long)(forSeconds * Stopwatch.Frequency);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
    {
        (ttft[worker], total[worker]) = ([], []);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var started = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            double? first = null;
            using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
            {
                if (!stream) await reader.ReadToEndAsync();
                else while (await reader.ReadLineAsync() is { } line) if (first is null && firstText.IsMatch(line)) first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode || stream && first is null) { Interlocked.Increment(ref failures); continue; }
            ttft[worker].Add(first ?? elapsed);
            total[worker].Add(elapsed);
        }
    }));
    var all = total.Sum(t => t.Count);
    return new Result(Percentiles(ttft), Percentiles(total), all / clock.Elapsed.TotalSeconds, failures);
}

static (double P50, double P99) Percentiles(List<double>[] samples)
{
    var all = samples.SelectMany(s => s).Order().ToArray();
    double At(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
    return (At(0.50), At(0.99));
}

internal sealed record Result((double P50, double P99) Ttft, (double P50, double P99) Total, double Rps, int Failures);
