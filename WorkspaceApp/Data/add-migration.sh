#!/usr/bin/env bash
# Adds a migration for both providers from the one model: SQLite (AppDbContext) and PostgreSQL (PostgresAppDbContext).
# Usage (from anywhere): WorkspaceApp/Data/add-migration.sh <Name>
set -euo pipefail
name="${1:?usage: $0 <MigrationName>}"
cd "$(dirname "$0")/../.."
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project WorkspaceApp --context AppDbContext --output-dir Data/Migrations
# The PostgreSQL context exists only when the app is configured for PostgreSQL; the host is not contacted.
dotnet ef migrations add "$name" --project WorkspaceApp --context PostgresAppDbContext --output-dir Data/Migrations/Postgres \
  -- --Database:Provider=Postgres --ConnectionStrings:Default=Host=localhost
