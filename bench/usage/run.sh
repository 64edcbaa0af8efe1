#!/usr/bin/env bash
# Fills 1,000,000 usage records over a year into a fresh SQLite database (and PostgreSQL when
# WORKSPACEAPP_TEST_POSTGRES is set) and times each of the Usage page's queries.
# Usage: bench/usage.sh [records, default 1000000]
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build UsageBench.csproj -c Release -nologo -v quiet >/dev/null
exec dotnet bin/Release/net10.0/UsageBench.dll "$@"
