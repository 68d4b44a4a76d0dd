#!/usr/bin/env bash
# Soak: minutes of mixed traffic at a bounded rate against one Tailor on 127.0.0.1 (embedded mode, in-process
# workers, the bubblewrap sandbox), sampling the service's resources as it runs. The traffic: uploads of small hello
# bundles (a varying define, some new, some repeats) to three apps, releases, builds of random catalog targets for
# x86_64/aarch64/armv7/i686 (at most one build start every few seconds: each really compiles with clang), boots
# with a few compact fingerprints of the corpus followed to the image (its sha256 checked), ranged image downloads
# (206 and the bytes checked), reads of the listings, and garbage (malformed JSON, bad digests and names, hostile
# tars, a compression bomb, oversized bodies, unknown paths, wrong methods, missing tokens), which must each get a
# 4xx problem document. Every S seconds it samples the heap (used, and used after a full GC forced with jcmd), RSS,
# open file descriptors, threads, the bubblewrap processes under the service, the temporary files (the service's
# java.io.tmpdir, a directory of its own here, and the files under <data>/work) and the data directory's size,
# and prints them as a table, then the requests by kind and status class with latency percentiles, and a verdict:
# no 5xx; heap, RSS, fds, threads, sandboxes and temporary files flat after warm-up (the last sample, taken after
# the traffic stopped and in-flight builds drained, against the sample that ends the first third of the run).
# bench/soak.py does the work and writes bench/results/soak.txt (what it printed) and soak.json.
#
#   bench/soak.sh [--minutes N] [--rate R] [--sample-seconds S]
#                   N: minutes of traffic (default 10); R: requests started per second, all kinds together
#                   (default 20); S: seconds between samples (default 60)
#                   (needs java 17 with jcmd, curl, python3; the service needs clang, lld and bubblewrap)
#
# Environment:
#   PORT       the service's port on 127.0.0.1 (default 18097; a busy port is refused)
#   JAR        the service jar (default target/tailor-*.jar; it is not built here: ./mvnw -DskipTests package)
#   OUT        where results go (default bench/results)
#   KEEP=1     keeps the work directory (service log, data dir)
#
# The service runs with its per-token rate limits raised (management calls, build starts) and 1,000 waiting boots
# per address, so that the soak measures the service rather than its limits (a 429 would still be counted apart,
# not as a failure), and with tailor.bundles.max-upload=1MB, so that an oversized streamed upload is cheap to send.
# Exit status: 0 when no request got a 5xx or no answer, every garbage request got a 4xx problem document and
# nothing grew; 1 otherwise (the verdict says which check failed) or when the service did not start; 2 on a usage
# error; 130 on Ctrl-C or TERM (the driver prints what it measured but leaves the result files as they were). The
# service is stopped and the work directory removed in every case.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
usage() {
  echo "usage: bench/soak.sh [--minutes N] [--rate R] [--sample-seconds S]   (see the header for the environment)" >&2
  exit 2
}
MINUTES=10
RATE=20
SAMPLE=60
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) [ $# -ge 2 ] || usage; MINUTES=$2; shift 2 ;;
    --rate) [ $# -ge 2 ] || usage; RATE=$2; shift 2 ;;
    --sample-seconds) [ $# -ge 2 ] || usage; SAMPLE=$2; shift 2 ;;
    *) usage ;;
  esac
done
for v in "$MINUTES" "$RATE" "$SAMPLE"; do
  case "$v" in '' | *[!0-9.]* | *.*.* | .) echo "soak: --minutes, --rate and --sample-seconds take positive numbers" >&2; exit 2 ;; esac
done
PORT=${PORT:-18097}
case "$PORT" in '' | *[!0-9]*) echo "soak: PORT must be a port number" >&2; exit 2 ;; esac
JAR=${JAR:-$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
  echo "soak: no service jar (${JAR:-target/tailor-*.jar}): build it first with ./mvnw -B -q -DskipTests package" >&2
  exit 1
fi
for tool in java jcmd curl python3; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is needed" >&2; exit 1; }
done
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
  echo "soak: port $PORT is in use: stop what runs there or set PORT" >&2
  exit 1
fi
WORK=$(mktemp -d /tmp/tailor-soak.XXXXXX)
DATA=$WORK/data
mkdir -p "$WORK/tmp"
DRIVER_PID=
cleanup() {
  # the driver first: on TERM it stops its traffic and prints what it measured (exit 130)
  if [ -n "$DRIVER_PID" ]; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
  fi
  kill "${service_pid:-}" 2>/dev/null || true
  wait "${service_pid:-}" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then
    echo "soak: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the service's temporary files go to a directory of its own, so that the soak counts only them
BENCH_JAVA_OPTS="-Djava.io.tmpdir=$WORK/tmp ${BENCH_JAVA_OPTS:-}" \
  service_start soak "$JAR" "$PORT" "$DATA" "$WORK/service.log" \
  --tailor.limits.management-per-minute=100000 --tailor.limits.builds-per-minute=10000 \
  --tailor.limits.waiting-boots-per-client=1000 --tailor.bundles.max-upload=1MB || exit 1
# in the background, so that Ctrl-C or a TERM reaches this script's trap at once (which stops the driver, then the
# service) rather than after the driver's end
python3 bench/soak.py --port "$PORT" --pid "$service_pid" --token-file "$DATA/admin-token" --data "$DATA" \
  --tmp "$WORK/tmp" --minutes "$MINUTES" --rate "$RATE" --sample-seconds "$SAMPLE" --out "${OUT:-bench/results}" \
  --jar "$JAR" &
DRIVER_PID=$!
rc=0
wait "$DRIVER_PID" || rc=$?
DRIVER_PID=
exit "$rc"
