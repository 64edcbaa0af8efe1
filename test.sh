#!/usr/bin/env bash
# Builds the solution and runs every test project (unit, integration, bunit, E2E in a real browser).
# Last line: "tests: N passed, N failed, N skipped", summed over all projects.
set -uo pipefail
cd "$(dirname "$0")"

# The E2E journeys drive Debian's Chromium (CHROMIUM_PATH overrides the path).
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$browser" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium with apt-get..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1
  fi
  [ -x "$browser" ] || { echo "No browser at $browser: install chromium or set CHROMIUM_PATH." >&2; echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
fi

# --- PostgreSQL for the PostgreSQL tests -------------------------------------------------------------------------
# A throwaway cluster on 127.0.0.1 (a free port, a temp dir), stopped and deleted on exit. The tests read
# WORKSPACEAPP_TEST_POSTGRES (an admin connection string) and create and drop their own databases on it.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing postgresql with apt-get..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null 2>&1
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$pg_bin" ] || pg_bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
# initdb refuses to run as root: the cluster belongs to the postgres user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_dir=$(mktemp -d /tmp/workspaceapp-pg.XXXXXX)
stop_postgres() { as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
trap stop_postgres EXIT
pg_port=$((20000 + RANDOM % 40000))
while (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((20000 + RANDOM % 40000)); done
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
# fsync off: the cluster lives for one run (synchronous_commit stays on: a test checks the meter turns it off per
# transaction only for batches of holds). max_connections: two test classes with their own pools.
if ! { [ -x "$pg_bin/initdb" ] \
  && as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$pg_dir/initdb.log" 2>&1 \
  && as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories='$pg_dir' -c max_connections=300 -c fsync=off -c full_page_writes=off" >/dev/null; }; then
  echo "Could not start PostgreSQL (install the postgresql package, or run as root to have it installed):" >&2
  cat "$pg_dir"/*.log >&2 2>/dev/null
  echo "tests: 0 passed, 1 failed, 0 skipped"; exit 1
fi
export WORKSPACEAPP_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
# --- end of PostgreSQL -------------------------------------------------------------------------------------------

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
if ! dotnet build WorkspaceApp.sln -c Release -nologo -v quiet; then
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

results=$(mktemp -d)
passed=0 failed=0 skipped=0 status=0
for project in WorkspaceApp.Tests WorkspaceApp.E2E; do
  echo "== $project"
  dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$project.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
  trx="$results/$project.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
    e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
  else
    echo "$project produced no results: counted as a failure" >&2
    failed=$((failed + 1)); status=1
  fi
done
rm -rf "$results"

[ "$failed" -gt 0 ] && status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
