#!/usr/bin/env bash
# Measures ApiKeyResolver.ResolveAsync with 100 and with 100,000 keys on a real SQLite file.
# Usage: bench/keys/run.sh [lookups per size, default 20000] [sizes..., default 100 100000]
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build KeysBench.csproj -c Release -nologo -v quiet >/dev/null
exec dotnet bin/Release/net10.0/KeysBench.dll "$@"
