using WorkspaceApp.E2E.Infrastructure;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// The published app, started by an operator with a missing or half-set configuration: it stops at once with one line
/// that says what to set (no stack trace), exit code 1, and touches no database.
/// </summary>
public sealed class StartupConfigurationTests : IDisposable
{
    private readonly DirectoryInfo dataDir = Directory.CreateTempSubdirectory("workspaceapp-startup-");

    [Theory]
    [InlineData("Billing:Provider", "", "Billing:Provider is not set")]
    [InlineData("Billing:Provider", "Stripe", "Stripe:SecretKey")]
    [InlineData("Api:MeterBatchSize", "0", "Api:MeterBatchSize")]
    [InlineData("Pricing:Models:echo-1:InputPerMillion", "-1", "Pricing:Models:echo-1")]
    [InlineData("ForwardedHeaders:KnownProxies", "not-an-ip", "ForwardedHeaders:KnownProxies")]
    [InlineData("Database:Provider", "Oracle", "Database:Provider")]
    public async Task A_bad_setting_stops_the_app_with_one_line_naming_it(string key, string value, string named)
    {
        var database = Path.Combine(dataDir.FullName, "workspace.db");

        var (exitCode, output, error) = await AppServer.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings:Default"] = $"Data Source={database}",
            [key] = value,
        });

        Assert.Equal(1, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("WorkspaceApp cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.False(File.Exists(database), "the database was created before the configuration was checked");
    }

    public void Dispose() => dataDir.Delete(recursive: true);
}
