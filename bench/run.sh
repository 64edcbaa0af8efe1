#!/usr/bin/env bash
# Benchmark of the metered API against an authenticated no-op on the same app (README, "Performance").
# Starts the app in Release on a fresh SQLite file, creates a Pro workspace with credits and a key through `ops`,
# then loads, with the same number of connections and after a warm-up each:
#   0. GET /healthz/live          - the bare endpoint (no check, no key): the baseline of this app on this machine
#   1. GET /v1/models             - key check only (the no-op)
#   2. POST /v1/chat/completions  - echo-1, metered: hold, run, settle, ledger and usage rows (group commit)
#   3. the same with Api:MeterBatchSize=1 - every hold and settlement committed alone (what group commit saves)
# and prints requests/s, p50/p99, the ratios to the bare endpoint and to the no-op, and `ops ledger verify`.
# Usage: bench/run.sh [connections=32] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32}
seconds=${2:-10}
port=${BENCH_PORT:-5199}
work=$(mktemp -d)
export ConnectionStrings__Default="Data Source=$work/bench.db"
export Api__RateLimitPermits=100000000 Api__WorkspaceRateLimitPermits=100000000 Logging__LogLevel__Default=Warning
export Billing__Provider=Test # required outside Development

dotnet build WorkspaceApp -c Release -nologo -v quiet >/dev/null
dotnet build bench/LoadGen -c Release -nologo -v quiet >/dev/null
app="dotnet $PWD/WorkspaceApp/bin/Release/net10.0/WorkspaceApp.dll"
ops() { (cd WorkspaceApp && $app ops "$@"); }

ops workspace create --name bench --owner "bench@example.com" --password "Correct-Horse-42" --plan pro >/dev/null
ops credits grant --workspace bench --credits 1000000 --reason "benchmark" >/dev/null
key=$(ops keys create --workspace bench --name bench | sed -n 's/^key: //p')

server=""
start_app() {
  (cd WorkspaceApp && Urls="http://127.0.0.1:$port" exec env "$@" $app) >>"$work/app.log" 2>&1 &
  server=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.5; done
  echo "the app did not start:" >&2; cat "$work/app.log" >&2; exit 1
}
stop_app() { kill "$server"; wait "$server" 2>/dev/null || true; }
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

loadgen="dotnet $PWD/bench/LoadGen/bin/Release/net10.0/LoadGen.dll http://127.0.0.1:$port $key $connections"
load() { $loadgen "$seconds" "$1" 2; }
# The JIT needs tens of seconds of traffic on both endpoints before its optimised code settles (tiered PGO);
# measuring before that would compare a cold endpoint with a warm one.
warm() { for mode in "$@"; do $loadgen 10 "$mode" 0 >/dev/null; done; }
start_app Api__MeterBatchSize=512
warm live get chat live get chat
bare=$(load live)
noop=$(load get)
metered=$(load chat)
stop_app
start_app Api__MeterBatchSize=1
warm get chat get chat
single=$(load chat)
stop_app

echo "connections=$connections seconds=$seconds (after 60 s of warm-up traffic), $(nproc) cores"
echo "bare     GET /healthz/live                    $bare"
echo "no-op    GET /v1/models                       $noop"
echo "metered  POST /v1/chat/completions            $metered"
echo "metered  without group commit (batch of 1)    $single"
rps() { sed -E 's/.* rps=([0-9]+).*/\1/' <<<"$1"; }
awk -v m="$(rps "$metered")" -v s="$(rps "$single")" -v n="$(rps "$noop")" -v b="$(rps "$bare")" 'BEGIN {
  printf "ratio no-op/bare: %.2f, metered/bare: %.2f\n", n / b, m / b
  printf "ratio metered/no-op: %.2f (target >= 0.50)\n", m / n
  printf "ratio metered without group commit/no-op: %.2f\n", s / n }'
ops ledger verify
