#!/usr/bin/env bash
# The payoff of tuning: each kernel of examples/payoff built by Tailor for the x86-64 baseline, for every x86-64
# level, for this host's `native` answer, and for WebAssembly (wasm32-mvp, wasm32-simd128, run under Node), each
# run natively here several times; prints per-measurement tables, the speedups of the tuned builds against
# x86_64-v1 and against wasm32-simd128, and the project's goals beside the measured values. bench/payoff.py does
# the work and writes bench/results/payoff.json, payoff.svg (a chart) and payoff.txt (what it printed).
#
#   bench/payoff.sh [runs]        (default 5 runs of every build; needs java 17, curl, python3, node)
#
# Environment:
#   PORT       the service's port on 127.0.0.1 (default 18090; a busy port is refused)
#   JAR        the service jar (default target/tailor-*.jar; it is not built here: ./mvnw -DskipTests package)
#   KERNELS    space-separated kernels to run (default: every directory of examples/payoff with a tailor.yaml)
#   BEYOND     1 (default): also time x86-64 targets whose features this host's /proc/cpuinfo does not list
#              all of (a hypervisor may hide flags the CPU has, such as abm/LZCNT), marked as such and never
#              counted as the native answer; 0: only what the flags allow
#   BUDGET_MS  development only: sets PAYOFF_BUDGET_MS in the bundles (the kernels default to 300 ms per
#              measurement; real runs must leave it unset); the report says so
#   OUT        where results go (default bench/results)
#   KEEP=1     keeps the work directory (service log, bundles, executables, every run's output)
#
# Exit status: 0, also when some build or run failed (each failure is reported in its table row); 1 when a
# known-answer check failed or the service did not start; 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RUNS=${1:-5}
case "$RUNS" in '' | *[!0-9]* | 0) echo "usage: bench/payoff.sh [runs]   (runs: a positive integer)" >&2; exit 2 ;; esac
PORT=${PORT:-18090}
JAR=${JAR:-$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
  echo "payoff: no service jar (${JAR:-target/tailor-*.jar}): build it first with ./mvnw -B -q -DskipTests package" >&2
  exit 1
fi
for tool in java curl python3 node; do
  command -v "$tool" >/dev/null || { echo "payoff: $tool is needed" >&2; exit 1; }
done
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
  echo "payoff: port $PORT is in use: stop what runs there or set PORT" >&2
  exit 1
fi
WORK=$(mktemp -d /tmp/tailor-payoff.XXXXXX)
DATA=$WORK/data
cleanup() {
  kill "${service_pid:-}" 2>/dev/null || true
  wait "${service_pid:-}" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then
    echo "payoff: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
service_start payoff "$JAR" "$PORT" "$DATA" "$WORK/service.log" || exit 1
python3 bench/payoff.py --port "$PORT" --token-file "$DATA/admin-token" --work "$WORK" --runs "$RUNS" \
  --out "${OUT:-bench/results}" --beyond "${BEYOND:-1}" ${BUDGET_MS:+--budget-ms "$BUDGET_MS"} \
  ${KERNELS:+--kernels "$KERNELS"}
