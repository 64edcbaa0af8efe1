#!/usr/bin/env bash
# Benchmark of the metered API against an authenticated no-op on the same app (see README "Performance").
# Starts the app in Release on a fresh SQLite file, creates a Pro workspace with credits and a key through `ops`,
# loads GET /v1/models (key check only) and POST /v1/chat/completions (echo-1, metered) in turn with the same number
# of connections, prints requests/s and p50/p99 for both and their ratio, then verifies the ledger.
# Usage: bench/run.sh [connections=32] [seconds=15]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32}
seconds=${2:-15}
port=${BENCH_PORT:-5199}
work=$(mktemp -d)
export ConnectionStrings__Default="Data Source=$work/bench.db"
export Api__RateLimitPermits=100000000 Logging__LogLevel__Default=Warning

dotnet build WorkspaceApp -c Release -nologo -v quiet >/dev/null
dotnet build bench/LoadGen -c Release -nologo -v quiet >/dev/null
app="dotnet $PWD/WorkspaceApp/bin/Release/net10.0/WorkspaceApp.dll"
ops() { (cd WorkspaceApp && $app ops "$@"); }

ops workspace create --name bench --owner "bench@example.com" --password "Correct-Horse-42" --plan pro >/dev/null
ops credits grant --workspace bench --credits 1000000 --reason "benchmark" >/dev/null
key=$(ops keys create --workspace bench --name bench | sed -n 's/^key: //p')

(cd WorkspaceApp && Urls="http://127.0.0.1:$port" exec $app) >"$work/app.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done

load="dotnet $PWD/bench/LoadGen/bin/Release/net10.0/LoadGen.dll http://127.0.0.1:$port $key $connections $seconds"
noop=$($load get)
metered=$($load chat)
echo "no-op   (GET /v1/models):           $noop"
echo "metered (POST /v1/chat/completions): $metered"
rps() { sed -E 's/.* rps=([0-9]+).*/\1/' <<<"$1"; }
awk -v m="$(rps "$metered")" -v n="$(rps "$noop")" 'BEGIN { printf "ratio metered/no-op: %.2f (target >= 0.50)\n", m / n }'

kill $server; wait $server 2>/dev/null || true
ops ledger verify
