using WorkspaceApp.Data;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Features.ApiKeys;
using WorkspaceApp.Tests.Features.Billing;
using WorkspaceApp.Tests.Features.Members;
using WorkspaceApp.Tests.Features.Workspaces;

namespace WorkspaceApp.Tests.Features.Postgres;

// The tests that lean hardest on the database, run unchanged on a real PostgreSQL server (WORKSPACEAPP_TEST_POSTGRES,
// started by test.sh), each test on a fresh database: registration, the ledger under parallel debits, purchases
// credited once however often they are reported, API keys, and the metered API (400 concurrent requests, holds
// released after a failure or a crash, usage records and last-used times).

public sealed class PostgresRegistrationTests() : RegistrationTests(DatabaseProvider.Postgres);

public sealed class PostgresLedgerServiceTests() : LedgerServiceTests(DatabaseProvider.Postgres);

public sealed class PostgresStripeCheckoutTests() : StripeCheckoutTests(DatabaseProvider.Postgres);

public sealed class PostgresStripeRefundTests() : StripeRefundTests(DatabaseProvider.Postgres);

public sealed class PostgresStripeSubscriptionTests() : StripeSubscriptionTests(DatabaseProvider.Postgres);

public sealed class PostgresApiKeyServiceTests() : ApiKeyServiceTests(DatabaseProvider.Postgres);

public sealed class PostgresConcurrencyTests() : ConcurrencyTests(DatabaseProvider.Postgres);

public sealed class PostgresHoldTests() : HoldTests(DatabaseProvider.Postgres);

public sealed class PostgresRateLimitAndUsageTests() : RateLimitAndUsageTests(DatabaseProvider.Postgres);

public sealed class PostgresMeterBatchTests() : Api.Metering.MeterBatchTests(DatabaseProvider.Postgres);
public sealed class PostgresMeterDurabilityTests() : Api.Metering.MeterDurabilityTests(DatabaseProvider.Postgres);

public sealed class PostgresCrashTests(Xunit.Abstractions.ITestOutputHelper output) : Api.Metering.CrashTests(output, DatabaseProvider.Postgres);

public sealed class PostgresInstanceHoldTests() : Api.Metering.InstanceHoldTests(DatabaseProvider.Postgres);

public sealed class PostgresInvitationTests() : InvitationTests(DatabaseProvider.Postgres);

public sealed class PostgresMemberRulesTests() : MemberRulesTests(DatabaseProvider.Postgres);

public sealed class PostgresUsageReportTests() : Usage.UsageReportTests(DatabaseProvider.Postgres);
