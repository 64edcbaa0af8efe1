using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace UsageBench;

/// <summary>
/// A year of API traffic for one workspace: <c>count</c> records spread evenly over the 365 days before
/// <see cref="End"/>, 20 keys, 4 models, mostly served with some refused, failed and cut-short requests.
/// </summary>
public static class Seeder
{
    public static readonly DateTime End = new(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);
    public const int Keys = 20;
    private static readonly string[] Models = ["echo-1", "echo-1-mini", "gpt-4o-mini", "llama3.2"];

    public record struct Row(int KeyIndex, string Model, int Input, int Output, long Cost, string Status, DateTime AtUtc);

    public static IEnumerable<Row> Rows(int count)
    {
        var random = new Random(42);
        var start = End.AddDays(-365);
        var step = TimeSpan.FromDays(365).Ticks / count;
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var status = roll switch { < 95 => "succeeded", < 97 => "insufficient_credits", < 98 => "upstream_failed", _ => "client_aborted" };
            var (input, output) = (random.Next(10, 2000), random.Next(1, 500));
            var served = status is "succeeded" or "client_aborted";
            var cost = served ? input * 2L + output * 10L : 0;
            yield return new Row(random.Next(Keys), Models[random.Next(Models.Length)], input, served ? output : 0, cost, status, start.AddTicks(i * step));
        }
    }

    /// <summary>One prepared INSERT in one transaction (SQLite's fastest plain way in).</summary>
    public static async Task SqliteAsync(SqliteConnection connection, int workspaceId, int[] keyIds, int count)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO UsageRecords (WorkspaceId, ApiKeyId, Model, InputTokens, OutputTokens, CostMicros, Status, AtUtc)
            VALUES ($w, $k, $m, $i, $o, $c, $s, $a)
            """;
        var p = new[] { "$w", "$k", "$m", "$i", "$o", "$c", "$s", "$a" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        insert.Prepare();
        foreach (var r in Rows(count))
        {
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value) = (workspaceId, keyIds[r.KeyIndex], r.Model, r.Input);
            (p[4].Value, p[5].Value, p[6].Value, p[7].Value) = (r.Output, r.Cost, r.Status, r.AtUtc);
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    /// <summary>Binary COPY (PostgreSQL's bulk load).</summary>
    public static async Task PostgresAsync(NpgsqlConnection connection, int workspaceId, int[] keyIds, int count)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY \"UsageRecords\" (\"WorkspaceId\", \"ApiKeyId\", \"Model\", \"InputTokens\", \"OutputTokens\", \"CostMicros\", \"Status\", \"AtUtc\") FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in Rows(count))
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(workspaceId, NpgsqlDbType.Integer);
                await copy.WriteAsync(keyIds[r.KeyIndex], NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Model, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Input, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Output, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Cost, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Status, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.AtUtc, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE \"UsageRecords\"", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
