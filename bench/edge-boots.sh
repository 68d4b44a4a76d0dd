#!/usr/bin/env bash
# Fleet boots through a real Varnish edge (cdn-config/varnish/tailor.vcl, its backend pointed at the service): the
# share of boots the edge answers and the origin requests per 1,000 boots, for devices asking with GET ?cpu=<their
# compact fingerprint> (a 307 to the canonical query, then the canonical answer, both edge-cacheable), beside today's
# figure: the same boots as POSTs of the device's /proc/cpuinfo (no-store, passed to the origin every time).
# The fleet is 20 device models of the fingerprint corpus (src/test/resources/fingerprints, described by its
# index.json): the first 10 x86_64 ones and the first 10 aarch64/arm ones the service does not refuse. A hello bundle
# is released to channel stable with nothing built for the devices, then 1,000 boots (50 per model, one deterministic
# shuffled order) run through the edge, once per form. A boot follows 307s, sleeps 0.2 s and asks again on a 503 or a
# `Tailor-Tuned: pending` fallback (at most 300 tries), and counts when it has the final 302. A request reached the
# origin when its answer has no `X-Cache: HIT`. Every boot's image must be the one its model's first POST got.
# bench/edge-boots.py does the work and writes bench/results/edge-boots.txt (what it printed) and .json.
#
#   bench/edge-boots.sh            (needs java 17, varnishd with varnish-modules (xkey), python3; the service needs
#                                   clang, lld and bubblewrap)
#
# Environment:
#   PORT       the service's port on 127.0.0.1 (default 18093; a busy port is refused)
#   EDGE_PORT  varnishd's port on 127.0.0.1 (default 18094; a busy port is refused)
#   JAR        the service jar (default target/tailor-*.jar; it is not built here: ./mvnw -DskipTests package)
#   OUT        where results go (default bench/results)
#   KEEP=1     keeps the work directory (service log, data dir, varnishd's VCL and log, every boot's requests)
#
# The service is told to purge the edge (tailor.delivery.edges[0], type varnish), as a deployment would be.
# Exit status: 0 when every boot got its model's image and every step answered as specified; 1 when a device got
# another image than its model's first POST, or the service or the edge did not start, or a step (upload, release,
# a boot that never got a final answer or answered other than 302/307/503) failed: the report lists what failed;
# 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [ $# -gt 0 ]; then
  echo "usage: bench/edge-boots.sh   (no arguments; see the environment variables in its header)" >&2
  exit 2
fi
PORT=${PORT:-18093}
EDGE_PORT=${EDGE_PORT:-18094}
for p in "$PORT" "$EDGE_PORT"; do
  case "$p" in '' | *[!0-9]*) echo "edge-boots: PORT and EDGE_PORT must be port numbers" >&2; exit 2 ;; esac
done
if [ "$PORT" = "$EDGE_PORT" ]; then
  echo "edge-boots: PORT and EDGE_PORT must differ" >&2
  exit 2
fi
JAR=${JAR:-$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
  echo "edge-boots: no service jar (${JAR:-target/tailor-*.jar}): build it first with ./mvnw -B -q -DskipTests package" >&2
  exit 1
fi
for tool in java varnishd curl python3; do
  command -v "$tool" >/dev/null || { echo "edge-boots: $tool is needed" >&2; exit 1; }
done
VCL_SRC=cdn-config/varnish/tailor.vcl
# the line the edge tests substitute (EdgeProcesses.vclFor)
if ! grep -q '\.port = "8080";' "$VCL_SRC"; then
  echo "edge-boots: $VCL_SRC no longer has the origin port line (.port = \"8080\";) this bench substitutes" >&2
  exit 1
fi
busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" "$EDGE_PORT"; do
  if busy "$p"; then
    echo "edge-boots: port $p is in use: stop what runs there or set PORT / EDGE_PORT" >&2
    exit 1
  fi
done

WORK=$(mktemp -d /tmp/tailor-edge-boots.XXXXXX)
# varnishd's child and its VCL compiler run as an unprivileged user: they must reach $WORK/edge, not list $WORK
chmod 711 "$WORK"
DATA=$WORK/data
EDGE=$WORK/edge
mkdir -p "$EDGE"
chmod 755 "$EDGE"
sed 's/\.port = "8080";/.port = "'"$PORT"'";/' "$VCL_SRC" >"$EDGE/tailor.vcl"
chmod 644 "$EDGE/tailor.vcl"

EDGE_PID=
cleanup() {
  for p in $EDGE_PID ${service_pid:-}; do
    kill "$p" 2>/dev/null || true
  done
  for p in $EDGE_PID ${service_pid:-}; do
    wait "$p" 2>/dev/null || true
  done
  if [ -n "${KEEP:-}" ]; then
    echo "edge-boots: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

service_start edge-boots "$JAR" "$PORT" "$DATA" "$WORK/service.log" \
  "--tailor.delivery.edges[0].url=http://127.0.0.1:$EDGE_PORT" "--tailor.delivery.edges[0].type=varnish" || exit 1

# started after the service, so its health probe finds the origin up from the first probe on
varnishd -F -a "127.0.0.1:$EDGE_PORT" -f "$EDGE/tailor.vcl" -n "$EDGE/work" -s malloc,64m -T 127.0.0.1:0 \
  >"$EDGE/varnishd.log" 2>&1 &
EDGE_PID=$!
up=
for _ in $(seq 1 120); do
  if ! kill -0 "$EDGE_PID" 2>/dev/null; then
    break
  fi
  if busy "$EDGE_PORT"; then
    up=1
    break
  fi
  sleep 0.25
done
if [ -z "$up" ]; then
  echo "edge-boots: varnishd did not listen on 127.0.0.1:$EDGE_PORT; its log:" >&2
  tail -n 30 "$EDGE/varnishd.log" >&2 || true
  exit 1
fi

python3 bench/edge-boots.py --port "$PORT" --edge-port "$EDGE_PORT" --token-file "$DATA/admin-token" --work "$WORK" \
  --varnish-name "$EDGE/work" --edge-pid "$EDGE_PID" --out "${OUT:-bench/results}" --jar "$JAR"
