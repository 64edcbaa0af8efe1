using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Features.Api.Metering;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Postgres;

/// <summary>
/// `ops keys revoke` run as its own process (as an operator would, no relay of its own) reaches a running instance
/// that has the key cached within one second, not only after Api:KeyCacheSeconds.
/// </summary>
public sealed class CommandLineEvictionTests : IDisposable
{
    private readonly PostgresTestDatabase database = new();

    [Fact]
    public async Task A_key_revoked_from_the_command_line_is_refused_by_a_running_instance_within_one_second()
    {
        ApiWorkspace workspace;
        using (var setup = new AppFactory(DatabaseProvider.Postgres).With("ConnectionStrings:Default", database.ConnectionString))
        {
            workspace = await ApiWorkspace.CreateAsync(setup, credits: 10);
        }
        await using var server = await AppServer.StartAsync(MeteredStorm.Settings(DatabaseProvider.Postgres, database.ConnectionString));
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", workspace.Key);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/models")).StatusCode); // cached

        var revoke = await server.OpsAsync("keys", "revoke", "--workspace", workspace.Owner.WorkspaceId.ToString(CultureInfo.InvariantCulture), "--name", "Test key");
        Assert.True(revoke.ExitCode == 0, revoke.Error);

        await Eventually.WaitAsync(async () => (await http.GetAsync("/v1/models")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1), "the running instance refuses the key revoked from the command line");
    }

    public void Dispose() => database.Dispose();
}
