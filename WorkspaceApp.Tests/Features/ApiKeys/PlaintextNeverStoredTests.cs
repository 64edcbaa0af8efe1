using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>The full key exists only in the response that creates it: not in any table, file or log line.</summary>
public sealed class PlaintextNeverStoredTests : IDisposable
{
    private readonly AppFactory app = new();
    private readonly LogCapture logs = new();

    [Fact]
    public async Task After_generating_and_rotating_no_column_file_or_log_holds_a_key_or_its_secret()
    {
        var logged = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).AddFilter<LogCapture>(null, LogLevel.Trace)));
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = logged.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var generated = (await keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production")).Value!;
        var rotated = (await keys.RotateAsync(owner.Principal, owner.WorkspaceId, generated.Id)).Value!;
        await logged.Services.GetRequiredService<ApiKeyResolver>().ResolveAsync(rotated.Plaintext);

        foreach (var plaintext in new[] { generated.Plaintext, rotated.Plaintext })
        {
            var secret = plaintext[ApiKeyFormat.Prefix.Length..(ApiKeyFormat.Prefix.Length + ApiKeyFormat.SecretLength)];
            foreach (var needle in new[] { plaintext, secret, secret[4..] })
            {
                Assert.Empty(await ColumnsContainingAsync(needle));
                Assert.Empty(FilesContaining(needle));
                Assert.DoesNotContain(logs.Lines, line => line.Contains(needle, StringComparison.Ordinal));
            }
        }

        // The same searches find what is meant to be stored, so an empty result above means something.
        Assert.Contains("ApiKeys.Hint", await ColumnsContainingAsync(rotated.Hint));
        Assert.Contains("AuditEvents.Details", await ColumnsContainingAsync(rotated.Hint));
        Assert.Contains("ApiKeys.Name", await ColumnsContainingAsync("Production"));
        Assert.NotEmpty(FilesContaining(rotated.Hint));
        Assert.Contains(logs.Lines, line => line.Contains("\"ApiKeys\"", StringComparison.Ordinal));
    }

    /// <summary>"Table.Column" of every column, in every table, whose value contains the text.</summary>
    private async Task<List<string>> ColumnsContainingAsync(string text)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table'");
        Assert.Contains("ApiKeys", tables);
        var hits = new List<string>();
        foreach (var table in tables)
        {
            foreach (var column in await QueryAsync(connection, $"SELECT name FROM pragma_table_info('{table}')"))
            {
                await using var count = connection.CreateCommand();
                count.CommandText = $"SELECT count(*) FROM \"{table}\" WHERE instr(CAST(\"{column}\" AS TEXT), $text) > 0";
                count.Parameters.AddWithValue("$text", text);
                if ((long)(await count.ExecuteScalarAsync())! > 0) hits.Add($"{table}.{column}");
            }
        }
        return hits;
    }

    /// <summary>The database file and its write-ahead log, searched as raw bytes.</summary>
    private List<string> FilesContaining(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var path = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        return new[] { path, path + "-wal" }
            .Where(File.Exists)
            .Where(file =>
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                stream.CopyTo(memory);
                return memory.ToArray().AsSpan().IndexOf(needle) >= 0;
            })
            .ToList();
    }

    private static async Task<List<string>> QueryAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose()
    {
        app.Dispose();
        logs.Dispose();
    }
}
