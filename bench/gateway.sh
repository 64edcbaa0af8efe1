#!/usr/bin/env bash
# Gateway overhead (README, "Performance"): the same chat request sent straight to a local fake upstream
# (bench/FakeUpstream, answers at once) and through the app (model bench1 forwarded to it, metered as usual),
# streamed and not, at 1 and 32 connections; prints time to first token and total time, p50/p99, and the overhead
# (through the gateway minus straight). Bounded: about 2 minutes with the defaults, builds excluded.
# BENCH_DIR puts the app's SQLite file elsewhere (e.g. /dev/shm, to see what the disk's fsync costs).
# Usage: bench/gateway.sh [seconds per measurement=5] [warm-up seconds=12]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
warmup=${2:-12}
port=${BENCH_PORT:-5198}
upstream_port=${BENCH_UPSTREAM_PORT:-5197}
work=$(mktemp -d -p "${BENCH_DIR:-${TMPDIR:-/tmp}}")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ConnectionStrings__Default="Data Source=$work/bench.db"
export Api__RateLimitPermits=100000000 Api__WorkspaceRateLimitPermits=100000000 Logging__LogLevel__Default=Warning
export Billing__Provider=Test # required outside Development
export Upstreams__bench__BaseUrl="http://127.0.0.1:$upstream_port/v1" Upstreams__bench__ApiKey=sk-bench
export Upstreams__bench__Models__bench1=bench-upstream
export Pricing__Models__bench1__InputPerMillion=1 Pricing__Models__bench1__OutputPerMillion=1

dotnet build WorkspaceApp -c Release -nologo -v quiet >/dev/null
dotnet build bench/FakeUpstream -c Release -nologo -v quiet >/dev/null
dotnet build bench/GatewayBench -c Release -nologo -v quiet >/dev/null
app="dotnet $PWD/WorkspaceApp/bin/Release/net10.0/WorkspaceApp.dll"
ops() { (cd WorkspaceApp && $app ops "$@"); }

ops workspace create --name bench --owner "bench@example.com" --password "Correct-Horse-42" --plan pro >/dev/null
ops credits grant --workspace bench --credits 1000000 --reason "benchmark" >/dev/null
key=$(ops keys create --workspace bench --name bench | sed -n 's/^key: //p')

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
dotnet "$PWD/bench/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll" "$upstream_port" >>"$work/upstream.log" 2>&1 &
pids+=($!)
(cd WorkspaceApp && Urls="http://127.0.0.1:$port" exec $app) >>"$work/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { echo "the app did not start:" >&2; cat "$work/app.log" >&2; exit 1; }

echo "$(nproc) cores; ${seconds} s per measurement after ${warmup} s of warm-up per mode; times in ms"
timeout 600 dotnet "$PWD/bench/GatewayBench/bin/Release/net10.0/GatewayBench.dll" \
  "http://127.0.0.1:$port/" "$key" "http://127.0.0.1:$upstream_port/" "$seconds" "$warmup"
ops ledger verify
