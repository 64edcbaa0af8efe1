using WorkspaceApp.Data;
using WorkspaceApp.Tests.Features.Alerts;

namespace WorkspaceApp.Tests.Features.Postgres;

// Alerts and auto top-up claim their emails and top-ups with conditional UPDATEs: the same tests on PostgreSQL,
// where concurrent statements really overlap.

public sealed class PostgresBalanceAlertTests() : BalanceAlertTests(DatabaseProvider.Postgres);

public sealed class PostgresAutoTopUpTests() : AutoTopUpTests(DatabaseProvider.Postgres);

public sealed class PostgresStripeAutoTopUpTests() : StripeAutoTopUpTests(DatabaseProvider.Postgres);
