#!/usr/bin/env bash
# Time from POST /v1/builds to a succeeded build, for fresh hello builds (each with a different define, so each is
# a new build key), beside the bare clang and ld.lld commands of the same build with the runtime cached, replayed
# from the build's own log without the service or the sandbox. Prints both medians and their ratio (goal < 1.3).
#
# How each side is timed (bench/build-latency.py does the work):
# - the service: from sending POST /v1/builds?wait=60 to the last byte of its answer (status succeeded), by a
#   client on a kept-alive connection, as a CI job or a fleet manager talks to the service;
# - bare: the build's own commands (paths mapped back to the host), spawned directly (no shell), the compiles side
#   by side, then the link, as the worker runs them;
# - interleaved, one of each in turn, so both see the same machine load; after a build the worker empties its
#   directory and starts the next build's sandboxes ahead, and that work is let end before the bare commands run.
# The service is warmed up first (WARM builds, with WARM_REQUESTS repeated requests halfway), to measure it as it
# runs once it has been up a while: the JVM compiles a method to optimised code only after some thousand calls,
# and on 2 cores each such compile takes a core from clang. The first builds after a start take 1.5-2x longer (the
# script prints them too); after 200 builds the JVM still made 87 optimising compiles in the 20 s measured, after
# 1000 builds 61, and the ratio went from about 1.28x to about 1.2x. The first 5 interleaved rounds are not kept either: in every run the first few were
# slower on both sides, while the machine (and the JVM's compiler) settled into the new pattern.
#
#   bench/build-latency.sh [iterations]      (default 25; needs java 17, curl, python3; builds the jar if missing)
#
# Environment: PORT (default 18089), TARGET (default x86_64-v3), JAR (default target/tailor-*.jar), WARM (1000),
# WARM_REQUESTS (2000), KEEP=1 keeps the work directory and prints the last build's per-command times.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-25}
PORT=${PORT:-18089}
JAR=${JAR:-$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  ./mvnw -B -q -o -DskipTests package
  JAR=$(ls target/tailor-*.jar | grep -v original | head -1)
fi
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT is in use: stop what runs there or set PORT" >&2
  exit 1
fi
WORK=$(mktemp -d /tmp/tailor-bench.XXXXXX)
DATA=$WORK/data
java ${BENCH_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 --tailor.data-dir="$DATA" \
  --logging.level.root=WARN >"$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  [ -s "$DATA/admin-token" ] && curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 0.5
done
python3 bench/build-latency.py --port "$PORT" --token "$(cat "$DATA/admin-token")" --data "$DATA" --work "$WORK" \
  --target "${TARGET:-x86_64-v3}" --builds "$N" --warm "${WARM:-1000}" --warm-requests "${WARM_REQUESTS:-2000}" \
  ${KEEP:+--show-log}
