using System.Globalization;
using KeysBench;

// Lookups per size, then the key counts to compare (the first is the baseline for the ratio).
var lookups = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
int[] sizes = args.Length > 1 ? [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [100, 100_000];

Console.WriteLine($"ApiKeyResolver.ResolveAsync on SQLite, {lookups:N0} sequential lookups of random existing keys per round, median of 3 rounds");
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
Console.WriteLine();
Console.WriteLine($"{"keys",10} {"db size",10} {"seed",8} {"lookups/s",11} {"p50 µs",8} {"p99 µs",8}   {"plain LINQ: lookups/s",26} {"p50 µs",8} {"p99 µs",8}");

var results = new List<(int Keys, Measurement Resolver, Measurement Plain)>();
foreach (var size in sizes)
{
    await using var database = await BenchDatabase.CreateAsync(size);
    // The machine may be busy with other work: three interleaved rounds, and the median round of each is reported.
    var resolverRounds = new List<Measurement>();
    var plainRounds = new List<Measurement>();
    for (var round = 0; round < 3; round++)
    {
        resolverRounds.Add(await database.MeasureResolverAsync(lookups));
        plainRounds.Add(await database.MeasurePlainLinqAsync(lookups));
    }
    var resolver = Measurement.Median(resolverRounds);
    var plain = Measurement.Median(plainRounds);
    results.Add((size, resolver, plain));
    Console.WriteLine($"{size,10:N0} {database.FileSizeMb,8:F1}MB {database.SeedTime.TotalSeconds,7:F2}s {resolver.PerSecond,11:N0} {resolver.P50,8:F0} {resolver.P99,8:F0}   {plain.PerSecond,26:N0} {plain.P50,8:F0} {plain.P99,8:F0}");
}

if (results.Count > 1)
{
    var (baseKeys, baseline, _) = results[0];
    Console.WriteLine();
    foreach (var (keys, measured, _) in results.Skip(1))
    {
        Console.WriteLine($"{keys:N0} vs {baseKeys:N0} keys: throughput ratio {measured.PerSecond / baseline.PerSecond:F2}, " +
                          $"p50 ratio {measured.P50 / baseline.P50:F2}, p99 ratio {measured.P99 / baseline.P99:F2} " +
                          "(1.00 = no slower; a table scan would be about keys/baseline times slower)");
    }
}
