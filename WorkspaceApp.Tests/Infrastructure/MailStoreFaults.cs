using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>
/// A real database fault for the email outbox: a trigger makes every insert into OutboxEmails fail, as a full disk or
/// a lost connection at that statement would, so a test can show that the action storing the email rolls back with it.
/// </summary>
internal static class MailStoreFaults
{
    public static async Task FailMailStoreAsync(this AppFactory app, bool failing)
    {
        var sql = (app.Provider, failing) switch
        {
            (DatabaseProvider.Sqlite, true) =>
                """CREATE TRIGGER mail_store_down BEFORE INSERT ON "OutboxEmails" BEGIN SELECT RAISE(ABORT, 'mail store down'); END;""",
            (DatabaseProvider.Sqlite, false) => "DROP TRIGGER mail_store_down;",
            (_, true) => """
                CREATE FUNCTION mail_store_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'mail store down'; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER mail_store_down BEFORE INSERT ON "OutboxEmails" FOR EACH ROW EXECUTE FUNCTION mail_store_down();
                """,
            (_, false) => """DROP TRIGGER mail_store_down ON "OutboxEmails"; DROP FUNCTION mail_store_down();""",
        };
        await using var scope = app.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}
