#!/usr/bin/env bash
# Boot benchmarks, each beside its peer:
#  1. warm boot resolve: GET /v1/boot/<app>/<channel>?cpu=<canonical> answered 302 from memory, against nginx answering
#     a static 302, with the same wrk load (goal: Tailor >= 0.4x nginx's requests/s);
#  2. herd: HERD devices (default 500) ask at once for a never-built (bundle, target): exactly one build, all
#     redirected to one image, p99 latency against one cold boot of another fresh bundle (goal: within 2x).
#
#   bench/boot.sh          DURATION=10s CONNECTIONS=64 THREADS=2 HERD=500
# Needs java 17, wrk, nginx, curl, python3; builds the jar when target/ has none.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
HERD=${HERD:-500}
for tool in java wrk nginx curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is required (scripts/install-test-services.sh)" >&2; exit 2; }
done
JAR=$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)
if [ -z "$JAR" ]; then
  ./mvnw -B -q -DskipTests package
  JAR=$(ls target/tailor-*.jar | grep -v original | head -1)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK=$(mktemp -d /tmp/tailor-bench.XXXXXX)
PORT=$(free_port)
NGINX_PORT=$(free_port)
java -Xmx256m ${BENCH_JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 --tailor.data-dir="$WORK/data" \
  --logging.level.root=WARN >"$WORK/service.log" 2>&1 &
PID=$!
NGINX_PID=""
trap 'kill $PID $NGINX_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 0.5
done
API="http://127.0.0.1:$PORT"
TOKEN=$(cat "$WORK/data/admin-token")
V3="x86_64:fpu,cx8,cmov,mmx,fxsr,sse,sse2,cx16,lahf_lm,popcnt,sse3,ssse3,sse4_1,sse4_2,avx,avx2,bmi1,bmi2,f16c,fma,abm,movbe,xsave"
A81="aarch64:fp,asimd,crc32,atomics,asimdrdm"

release() { # $1 = app, $2 = a define that makes the bundle new
  local dir=$WORK/bundle-$1
  mkdir -p "$dir/src"
  cp examples/hello/src/hello.c "$dir/src/"
  printf 'name: %s\nversion: 1.0.0\nsources: [src/*.c]\ndefines: {EXIT_CODE: "%s"}\n' "$1" "$2" >"$dir/tailor.yaml"
  tar -C "$dir" -cf "$dir.tar" tailor.yaml src
  local digest
  digest=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-tar' \
    --data-binary "@$dir.tar" "$API/v1/apps/$1/bundles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')
  curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"bundle\":\"$digest\"}" "$API/v1/apps/$1/channels/stable" >/dev/null
}
started() { curl -sf "$API/actuator/prometheus" | awk '/^tailor_builds_started_total/ { s += $2 } END { print s + 0 }'; }

# --- 1. warm boot resolve against a static 302 --------------------------------------------------------------
release warm 1
LOCATION=$(curl -s -o /dev/null -w '%{redirect_url}' "$API/v1/boot/warm/stable?wait=30&cpu=$V3")
# devices ask with the canonical fingerprint the first answer names (the form edges may keep)
CANONICAL=$(curl -s -o /dev/null -D - "$API/v1/boot/warm/stable?wait=30&cpu=$V3" \
  | sed -n 's/^[Tt]ailor-[Cc][Pp][Uu]-[Cc]anonical: *\([^[:space:]]*\).*/\1/p')
[ -n "$CANONICAL" ] || { echo "boot: no Tailor-CPU-Canonical in the answer" >&2; exit 1; }
nginx_start "$WORK/nginx" "$NGINX_PORT" \
  "location /v1/boot/ { add_header Cache-Control no-store always; return 302 $LOCATION; }"
NGINX_PID=$nginx_pid
sleep 1
BOOT="/v1/boot/warm/stable?cpu=$CANONICAL"
echo "warming up (JIT)..."
rps "$API$BOOT" 15s >/dev/null
rps "http://127.0.0.1:$NGINX_PORT$BOOT" 2s >/dev/null
T=$(rps "$API$BOOT" "$DURATION")
N=$(rps "http://127.0.0.1:$NGINX_PORT$BOOT" "$DURATION")
echo "warm boot resolve (302), wrk -t$THREADS -c$CONNECTIONS -d$DURATION:"
printf '  %-40s %10s req/s\n' "Tailor (warm boot: remembered answer)" "$T" "nginx (static 302)" "$N"
echo "  ratio Tailor/nginx: $(awk -v t="$T" -v n="$N" 'BEGIN { printf "%.2f", t / n }') (goal >= 0.4)"

# --- 2. herd on a never-built image ----------------------------------------------------------------------------
release single 2
release herd 3
sleep 3   # let the releases' baseline prebuilds finish, so only the measured builds run
COLD=$(python3 bench/herd.py "$API/v1/boot/single/stable?wait=30&cpu=$A81" 1)
BEFORE=$(started)
HERDED=$(python3 bench/herd.py "$API/v1/boot/herd/stable?wait=30&cpu=$A81" "$HERD")
AFTER=$(started)
echo "herd: $HERD devices at once for a never-built (bundle, aarch64-v8.1):"
echo "  one cold boot:   $COLD"
echo "  the herd:        $HERDED"
echo "  builds started by the herd: $((AFTER - BEFORE)) (goal: 1)"
python3 - "$COLD" "$HERDED" <<'PY'
import json, sys
cold, herd = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("  distinct redirects: %d (goal: 1), statuses %s" % (len(herd["locations"]), herd["statuses"]))
print("  p99 / cold boot: %.2f (goal <= 2)" % (herd["p99_ms"] / cold["p50_ms"]))
PY
