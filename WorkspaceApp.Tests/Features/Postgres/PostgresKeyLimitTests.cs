using WorkspaceApp.Data;
using WorkspaceApp.Tests.Features.ApiKeys;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Postgres;

/// <summary>The key limit tests (200 concurrent requests included) on PostgreSQL.</summary>
public sealed class PostgresKeyLimitTests() : KeyLimitTests(DatabaseProvider.Postgres);
