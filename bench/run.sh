#!/usr/bin/env bash
# Benchmark of the API against the bare endpoint of the same app (README, "Performance").
# Starts the app in Release on a fresh database, creates a Pro workspace with credits and a key through `ops`,
# then loads, with the same number of connections and after a warm-up each:
#   0. GET /healthz/live          - the bare endpoint (no check, no key): the baseline of this app on this machine
#   1. GET /v1/models             - key check only (the authenticated no-op)
#   2. POST /v1/chat/completions  - echo-1, metered: hold, run, settle, ledger and usage rows (group commit)
#   3. the same at one connection - the latency of one metered request (p50)
#   4. (SQLite only) the metered request with Api:MeterBatchSize=1 - every hold and settlement committed alone
# and prints requests/s, p50/p99, the ratios to the bare endpoint, and `ops ledger verify`.
# Usage: bench/run.sh [connections=32] [seconds=10]
# PostgreSQL: BENCH_POSTGRES="Host=...;Username=...;Password=..." (a user that may create databases; a fresh database
# is created and dropped) and BENCH_INSTANCES=2 for two instances on it, the connections spread over both.
# BENCH_DIR puts the SQLite file elsewhere (e.g. /dev/shm, to see what the disk's fsync costs).
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32}
seconds=${2:-10}
port=${BENCH_PORT:-5199}
instances=${BENCH_INSTANCES:-1}
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
# psql on the server's postgres database, from the Npgsql-style BENCH_POSTGRES.
psql_admin() {
  /usr/lib/postgresql/15/bin/psql "$(sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Password=/password=/' <<<"$BENCH_POSTGRES") dbname=postgres" -qc "$1" >/dev/null
}
if [ -n "${BENCH_POSTGRES:-}" ]; then
  database="bench_$(date +%s)_$$"
  export Database__Provider=Postgres ConnectionStrings__Default="$BENCH_POSTGRES;Database=$database"
  label="PostgreSQL, $instances instance(s)"
else
  [ "$instances" = 1 ] || { echo "BENCH_INSTANCES needs BENCH_POSTGRES (SQLite is for one instance)" >&2; exit 2; }
  export ConnectionStrings__Default="Data Source=$work/bench.db"
  label="SQLite"
fi
export Api__RateLimitPermits=100000000 Api__WorkspaceRateLimitPermits=100000000 Logging__LogLevel__Default=Warning
export Billing__Provider=Test # required outside Development

dotnet build WorkspaceApp -c Release -nologo -v quiet >/dev/null
dotnet build bench/LoadGen -c Release -nologo -v quiet >/dev/null
app="dotnet $PWD/WorkspaceApp/bin/Release/net10.0/WorkspaceApp.dll"
ops() { (cd WorkspaceApp && $app ops "$@"); }

[ -n "${BENCH_POSTGRES:-}" ] && psql_admin "CREATE DATABASE $database"
ops workspace create --name bench --owner "bench@example.com" --password "Correct-Horse-42" --plan pro >/dev/null
ops credits grant --workspace bench --credits 1000000 --reason "benchmark" >/dev/null
key=$(ops keys create --workspace bench --name bench | sed -n 's/^key: //p')

servers=()
urls=""
start_apps() {
  urls=""
  for i in $(seq 0 $((instances - 1))); do
    local url="http://127.0.0.1:$((port + i))"
    (cd WorkspaceApp && Urls="$url" exec env "$@" $app) >>"$work/app.log" 2>&1 &
    servers+=($!)
    urls="${urls:+$urls,}$url"
    for _ in $(seq 1 60); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.5; done
    curl -fs "$url/healthz" >/dev/null || { echo "the app did not start:" >&2; cat "$work/app.log" >&2; exit 1; }
  done
}
stop_apps() { for s in "${servers[@]}"; do kill "$s"; wait "$s" 2>/dev/null || true; done; servers=(); }
cleanup() {
  for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; done
  rm -rf "$work"
  if [ -n "${BENCH_POSTGRES:-}" ]; then psql_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)" 2>/dev/null || echo "drop database $database by hand" >&2; fi
}
trap cleanup EXIT

loadgen() { dotnet "$PWD/bench/LoadGen/bin/Release/net10.0/LoadGen.dll" "$urls" "$key" "$@"; }
load() { loadgen "$connections" "$seconds" "$1" 2; }
# The JIT needs tens of seconds of traffic on both endpoints before its optimised code settles (tiered PGO);
# measuring before that would compare a cold endpoint with a warm one.
warm() { for mode in "$@"; do loadgen "$connections" 10 "$mode" 0 >/dev/null; done; }
start_apps Api__MeterBatchSize=512
warm live get chat live get chat
bare=$(load live)
noop=$(load get)
metered=$(load chat)
single_connection=$(loadgen 1 "$seconds" chat 2)
stop_apps
if [ -z "${BENCH_POSTGRES:-}" ]; then
  start_apps Api__MeterBatchSize=1
  warm get chat get chat
  unbatched=$(load chat)
  stop_apps
fi

echo "$label; connections=$connections seconds=$seconds (after 60 s of warm-up traffic), $(nproc) cores"
echo "bare     GET /healthz/live                    $bare"
echo "no-op    GET /v1/models                       $noop"
echo "metered  POST /v1/chat/completions            $metered"
echo "metered  at one connection                    $single_connection"
[ -n "${unbatched:-}" ] && echo "metered  without group commit (batch of 1)    $unbatched"
rps() { sed -E 's/.* rps=([0-9]+).*/\1/' <<<"$1"; }
p50() { sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$1"; }
awk -v m="$(rps "$metered")" -v n="$(rps "$noop")" -v b="$(rps "$bare")" -v p="$(p50 "$single_connection")" 'BEGIN {
  printf "ratio no-op/bare: %.2f (target >= 0.50), metered/bare: %.2f (target >= 0.25), metered/no-op: %.2f\n", n / b, m / b, m / n
  printf "metered p50 at one connection: %.2f ms (target < 0.5)\n", p }'
ops ledger verify
