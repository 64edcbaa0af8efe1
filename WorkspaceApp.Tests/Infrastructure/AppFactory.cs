using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>
/// The real app in memory (TestServer) on a database of its own, migrated like production: a SQLite file by default,
/// or a fresh database on the PostgreSQL server of WORKSPACEAPP_TEST_POSTGRES.
/// </summary>
public class AppFactory(DatabaseProvider provider = DatabaseProvider.Sqlite) : WebApplicationFactory<Program>
{
    private readonly ITestDatabase database = provider == DatabaseProvider.Postgres ? new PostgresTestDatabase() : new TempDatabase();
    private readonly Dictionary<string, string?> settings = new();

    public DatabaseProvider Provider => provider;
    public string ConnectionString => database.ConnectionString;

    /// <summary>This app's email pickup folder (a temp folder of its own): what it sends lands here as .eml files.</summary>
    public MailPickup Mail { get; } = new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"workspaceapp-mail-{Guid.NewGuid():N}"));

    /// <summary>Overrides one configuration value; call before the first use of Services or CreateClient.</summary>
    public AppFactory With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", database.ConnectionString);
        builder.UseSetting("Billing:Provider", "Test"); // required outside Development; With overrides it
        builder.UseSetting("Email:PickupDirectory", Mail.Directory);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    /// <summary>Registers a user with their own Trial workspace through the real registration service.</summary>
    public async Task<TestUser> RegisterAsync(string? email = null, WorkspacePlan plan = WorkspacePlan.Trial, string? workspaceName = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        await using var scope = CreateScope();
        var registration = scope.ServiceProvider.GetRequiredService<RegistrationService>();
        var result = await registration.RegisterAsync(email, TestUser.Password, workspaceName ?? "Test workspace", plan);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        var workspaces = scope.ServiceProvider.GetRequiredService<WorkspaceService>();
        var workspace = await workspaces.FindForUserAsync(result.User!.Id);
        return new TestUser(result.User.Id, email, workspace!.Id);
    }

    /// <summary>Adds a user to an existing workspace with the given role.</summary>
    public async Task<TestUser> AddMemberAsync(int workspaceId, WorkspaceRole role)
    {
        var other = await RegisterAsync();
        await using var scope = CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = other.UserId, Role = role, JoinedAtUtc = DateTime.UtcNow.AddYears(-1) });
        await db.SaveChangesAsync();
        return other with { WorkspaceId = workspaceId };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            database.Dispose();
            if (Directory.Exists(Mail.Directory)) Directory.Delete(Mail.Directory, recursive: true);
        }
    }
}

public sealed record TestUser(string UserId, string Email, int WorkspaceId)
{
    public const string Password = "Correct-Horse-42";

    /// <summary>The principal Blazor would hand to a service for this signed-in user.</summary>
    public ClaimsPrincipal Principal => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, UserId), new Claim(ClaimTypes.Name, Email)], "Identity.Application"));
}

/// <summary>A SQLite file in the temp folder, deleted (with its WAL files) afterwards.</summary>
public sealed class TempDatabase : ITestDatabase
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"workspaceapp-test-{Guid.NewGuid():N}.db");
    public string ConnectionString => $"Data Source={Path}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try { File.Delete(Path + suffix); } catch (IOException) { /* still open by a finalising pool: the OS temp cleaner gets it */ }
        }
    }
}
