using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

public sealed class ApiKeyResolverTests : IDisposable
{
    private readonly AppFactory app = new();
    private readonly CommandRecorder recorder = new();

    private ApiKeyResolver RecordedResolver() => new(recorder.FactoryFor(app.ConnectionString), TimeProvider.System);

    [Theory]
    [InlineData("")]
    [InlineData("Bearer something")]
    [InlineData("wsk_abcdefghijklmnopqrstuvwxyz01232LolCn")]
    [InlineData("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789")]
    public async Task A_malformed_key_is_refused_without_a_database_read(string presented)
    {
        _ = app.Services; // migrated database
        var resolver = RecordedResolver();

        Assert.Equal(ApiKeyResolutionStatus.Malformed, (await resolver.ResolveAsync(presented)).Status);
        Assert.Empty(recorder.Commands);
        // The same resolver does read for a well-formed key: the recorder sees it.
        Assert.Equal(ApiKeyResolutionStatus.Unknown, (await resolver.ResolveAsync(ApiKeyFormat.Generate())).Status);
        Assert.Single(recorder.Commands);
    }

    [Fact]
    public async Task A_well_formed_key_that_was_never_issued_is_unknown()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.GenerateKeyAsync(owner, "Production");

        var resolution = await app.Services.GetRequiredService<ApiKeyResolver>().ResolveAsync(ApiKeyFormat.Generate());

        Assert.Equal(new ApiKeyResolution(ApiKeyResolutionStatus.Unknown), resolution);
    }

    [Fact]
    public async Task The_lookup_is_one_query_that_searches_the_unique_index_on_the_key_hash()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        for (var i = 0; i < 20; i++) await app.GenerateKeyAsync(owner, $"Key {i}");
        var key = await app.GenerateKeyAsync(owner, "Production");

        var resolution = await RecordedResolver().ResolveAsync(key.Plaintext);

        Assert.Equal(ApiKeyResolutionStatus.Valid, resolution.Status);
        var lookup = Assert.Single(recorder.Commands);
        Assert.DoesNotContain("JOIN", lookup.Text, StringComparison.OrdinalIgnoreCase);
        var plan = await ExplainAsync(lookup);
        // EF aliases the table ("SEARCH a USING INDEX ..."); the index name says which table it is.
        Assert.Contains(plan, step => Regex.IsMatch(step, @"^SEARCH \w+ USING INDEX IX_ApiKeys_KeyHash \(KeyHash=\?\)$"));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_compiled_lookup_works_for_contexts_built_with_different_options()
    {
        // A compiled query belongs to one EF model; the recorder's interceptor gives its contexts another one.
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var key = await app.GenerateKeyAsync(owner, "Production");
        var appResolver = app.Services.GetRequiredService<ApiKeyResolver>();

        Assert.Equal(ApiKeyResolutionStatus.Valid, (await appResolver.ResolveAsync(key.Plaintext)).Status);
        Assert.Equal(ApiKeyResolutionStatus.Valid, (await RecordedResolver().ResolveAsync(key.Plaintext)).Status);
        Assert.Equal(ApiKeyResolutionStatus.Valid, (await appResolver.ResolveAsync(key.Plaintext)).Status);
    }

    [Fact]
    public async Task Explain_tells_a_scan_from_an_index_search()
    {
        // The check above can fail: the same plan reader reports a scan for a lookup by a column without an index.
        _ = app.Services;
        var plan = await ExplainAsync(new CommandRecorder.Command("SELECT \"Id\" FROM \"ApiKeys\" WHERE \"Hint\" = @p", [("@p", "wsk_x")]));
        Assert.Contains(plan, step => step.StartsWith("SCAN ApiKeys", StringComparison.Ordinal));
    }


    /// <summary>SQLite's plan for the command, one "detail" line per step.</summary>
    private async Task<List<string>> ExplainAsync(CommandRecorder.Command command)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Text;
        foreach (var (name, value) in command.Parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var steps = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) steps.Add(reader.GetString(reader.GetOrdinal("detail")));
        return steps;
    }

    public void Dispose() => app.Dispose();
}
