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
