#!/usr/bin/env bash
# The auto policy against the level policy, on a simulated fleet: the x86_64 /proc/cpuinfo files of the fingerprint
# corpus (src/test/resources/fingerprints/linux-x86, described by its index.json), each device model weighted
# deterministically, boot two apps in a deterministic shuffled order: examples/auto/rung-bound, whose speed depends
# on the rung (3x the work without AVX2), and examples/auto/flat, whose speed does not. Each (app, policy) gets an
# app of its own (rung-bound-level, rung-bound-auto, flat-level, flat-auto: the same sources, the manifest's name
# rewritten), so no build is shared; the auto copies are measured with POST /v1/apps/{app}/payoff first. Prints, per
# (app, policy): boots, distinct images served (distinct Location) beside the service's tailor_images_distinct,
# the targets served with their boot counts, the builds run (flavor image), the share of boots an edge could answer
# from objects it already holds ((boots - distinct images) / boots), pending and refused answers; and the payoff
# reports (measured natively on this x86_64 host, which is why only x86_64 devices are in the fleet), and for the
# auto copies the reason POST /v1/fingerprints/resolve?policy=auto gives for each device's answer.
# bench/auto-ladder.py does the work and writes bench/results/auto-ladder.txt (what it printed) and .json.
#
#   bench/auto-ladder.sh            (needs java 17, curl, python3; the service needs clang, lld and bubblewrap)
#
# Environment:
#   PORT       the service's port on 127.0.0.1 (default 18091; a busy port is refused)
#   JAR        the service jar (default target/tailor-*.jar; it is not built here: ./mvnw -DskipTests package)
#   SCALE      fleet size multiplier: device weight = SCALE x (1 + sha256(path) mod 20) (default 2)
#   OUT        where results go (default bench/results)
#   KEEP=1     keeps the work directory (service log, data dir, bundles, every boot's answer)
#
# Exit status: 0 when every step answered as specified (refused boots are reported, not failures); 1 when the
# service did not start or a step (upload, release, payoff, a boot answering 5xx, the builds listing) failed:
# the report then lists what failed; 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [ $# -gt 0 ]; then
  echo "usage: bench/auto-ladder.sh   (no arguments; see the environment variables in its header)" >&2
  exit 2
fi
SCALE=${SCALE:-2}
case "$SCALE" in '' | *[!0-9]* | 0) echo "auto-ladder: SCALE must be a positive integer" >&2; exit 2 ;; esac
PORT=${PORT:-18091}
JAR=${JAR:-$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
  echo "auto-ladder: no service jar (${JAR:-target/tailor-*.jar}): build it first with ./mvnw -B -q -DskipTests package" >&2
  exit 1
fi
for tool in java curl python3; do
  command -v "$tool" >/dev/null || { echo "auto-ladder: $tool is needed" >&2; exit 1; }
done
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
  echo "auto-ladder: port $PORT is in use: stop what runs there or set PORT" >&2
  exit 1
fi
WORK=$(mktemp -d /tmp/tailor-auto-ladder.XXXXXX)
DATA=$WORK/data
cleanup() {
  kill "${service_pid:-}" 2>/dev/null || true
  wait "${service_pid:-}" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then
    echo "auto-ladder: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
service_start auto-ladder "$JAR" "$PORT" "$DATA" "$WORK/service.log" || exit 1
python3 bench/auto-ladder.py --port "$PORT" --token-file "$DATA/admin-token" --work "$WORK" --scale "$SCALE" \
  --out "${OUT:-bench/results}" --jar "$JAR"
