using System.Diagnostics;

namespace KeysBench;

/// <summary>Throughput and latency percentiles (microseconds) of a run of timed calls.</summary>
public sealed record Measurement(double PerSecond, double P50, double P99)
{
    public static Measurement Median(IReadOnlyList<Measurement> rounds) => rounds.OrderBy(r => r.PerSecond).ElementAt(rounds.Count / 2);

    public static async Task<Measurement> TimeAsync(int count, Func<int, Task> call)
    {
        var ticks = new long[count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        total.Stop();
        Array.Sort(ticks);
        double Micros(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
        return new Measurement(count / total.Elapsed.TotalSeconds, Micros(ticks[count / 2]), Micros(ticks[(int)(count * 0.99)]));
    }
}
