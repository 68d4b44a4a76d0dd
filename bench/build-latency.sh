#!/usr/bin/env bash
# Time from POST /v1/builds to a succeeded build, for fresh hello builds (each with a different define, so each is
# a new build key), beside the bare clang and ld.lld commands of the same build with the runtime cached, replayed
# from the build's own log without the service or the sandbox. Prints both medians and their ratio (goal < 1.3).
# The service's time is curl's, from the connect to the last byte of the answer; the bare commands are spawned
# directly by python (no shell), the compiles side by side, then the link, as the worker runs them.
#
#   bench/build-latency.sh [iterations]      (default 15; needs java 17, curl, python3; builds the jar if missing)
#
# Environment: PORT (default 18089), TARGET (default x86_64-v3), JAR (default target/tailor-*.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-15}
PORT=${PORT:-18089}
TARGET=${TARGET:-x86_64-v3}
JAR=${JAR:-$(ls target/tailor-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  ./mvnw -B -q -o -DskipTests package
  JAR=$(ls target/tailor-*.jar | grep -v original | head -1)
fi
WORK=$(mktemp -d /tmp/tailor-bench.XXXXXX)
DATA=$WORK/data
java -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 --tailor.data-dir="$DATA" \
  --logging.level.root=WARN >"$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 0.5
done
TOKEN=$(cat "$DATA/admin-token")
API="http://127.0.0.1:$PORT"

upload() { # $1 = exit code define; prints the bundle digest
  local dir=$WORK/bundle-$1
  mkdir -p "$dir/src"
  cp examples/hello/src/hello.c "$dir/src/"
  printf 'name: hello\nversion: 1.0.0\nsources: [src/*.c]\noptimize: size\ndefines: {EXIT_CODE: "%s"}\n' "$1" >"$dir/tailor.yaml"
  tar -C "$dir" -cf "$dir.tar" tailor.yaml src
  curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-tar' --data-binary "@$dir.tar" \
    "$API/v1/apps/hello/bundles" | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])'
}

build() { # $1 = bundle digest; prints "<ms> <build id> <worker ms>"; the time is curl's own, from the connect to
  # the last byte of the answer, so curl's process start is not counted against the service
  curl -sf -o "$WORK/build.json" -w '%{time_total}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "{\"bundle\":\"$1\",\"target\":\"$TARGET\"}" "$API/v1/builds?wait=60" \
    >"$WORK/build.time"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["status"]=="succeeded", r
print(round(float(open(sys.argv[2]).read()) * 1000), r["id"], r["durationMs"])' "$WORK/build.json" "$WORK/build.time"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Warm-up, so the service is measured as it runs once it has been up a while rather than in its first seconds (the
# JVM compiles a method to native code only after some thousand calls; the first builds after a start take 2-3x
# longer): WARM fresh builds (the first compiles and caches the runtime for the target) and, halfway,
# WARM_REQUESTS requests for a build that already succeeded, all on one kept-alive connection.
WARM=${WARM:-200}
WARM_REQUESTS=${WARM_REQUESTS:-2000}
WARM_ID=$(python3 - "$PORT" "$TOKEN" "$TARGET" "$WARM" "$WARM_REQUESTS" examples/hello/src/hello.c <<'PY'
import http.client, io, json, sys, tarfile
port, token, target, builds, repeats, hello = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
source = open(hello, "rb").read()
c = http.client.HTTPConnection("127.0.0.1", int(port))

def call(path, body, content_type):
    c.request("POST", path, body, {"Authorization": "Bearer " + token, "Content-Type": content_type})
    r = c.getresponse()
    data = r.read()
    assert r.status in (200, 201), (r.status, data)
    return json.loads(data)

def bundle(code):  # the bench's hello with its own define: a new build key
    manifest = ('name: hello\nversion: 1.0.0\nsources: [src/*.c]\noptimize: size\ndefines: {EXIT_CODE: "%d"}\n' % code).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in (("tailor.yaml", manifest), ("src/hello.c", source)):
            entry = tarfile.TarInfo(name)
            entry.size = len(data)
            tar.addfile(entry, io.BytesIO(data))
    return out.getvalue()

build = None
for i in range(builds):
    digest = call("/v1/apps/hello/bundles", bundle(1001 + i), "application/x-tar")["digest"]
    request = json.dumps({"bundle": digest, "target": target})
    build = call("/v1/builds?wait=60", request, "application/json")
    assert build["status"] == "succeeded", build
    if i == builds // 2:
        for _ in range(repeats):
            assert call("/v1/builds?wait=60", request, "application/json")["status"] == "succeeded"
print(build["id"])
PY
)

# The bare commands: the warm-up build's own commands, from its log, with the sandbox paths mapped back to host
# paths; replayed like the driver runs them: the compiles in parallel, then the link.
LOG=$(curl -sf -H "Authorization: Bearer $TOKEN" "$API/v1/builds/$WARM_ID/log")
SRC=$WORK/bare/src
mkdir -p "$SRC" "$WORK/bare/out/obj"
mkdir -p "$SRC/src"
cp examples/hello/src/hello.c "$SRC/src/"
echo "$LOG" | sed -n 's/^\$ //p' | sed -e "s#/tailor/cache#$DATA/toolchains#g" \
  -e "s#cd /src #cd $SRC #g" -e "s#/src=#$SRC=#g" -e "s#cd /out #cd $WORK/bare/out #g" -e "s# /out/# $WORK/bare/out/#g" \
  >"$WORK/bare/commands"
bare() { # prints the milliseconds of the commands, spawned directly (no shell), compiles side by side, then the link
  rm -rf "$WORK/bare/out/obj"/* "$WORK/bare/out/image.elf"
  python3 - "$WORK/bare/commands" <<'PY'
import shlex, subprocess, sys, time
steps = []
for line in open(sys.argv[1]):
    cd, argv = line.split(" && ", 1)
    steps.append((cd[len("cd "):], shlex.split(argv, comments=True)))
compiles = [s for s in steps if s[1][0] != "ld.lld"]
links = [s for s in steps if s[1][0] == "ld.lld"]
t0 = time.perf_counter_ns()
running = [subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL) for cwd, argv in compiles]
assert all(p.wait() == 0 for p in running)
for cwd, argv in links:
    subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
print((time.perf_counter_ns() - t0) // 1_000_000)
PY
}

sleep 2 # the JVM finishes compiling what the warm-up made hot

# Interleaved, so both sides see the same machine load.
API_MS=()
WORKER_MS=()
BARE_MS=()
for i in $(seq 1 "$N"); do
  digest=$(upload "$i")
  LAST=$(build "$digest")
  read -r ms _ worker <<<"$LAST"
  API_MS+=("$ms")
  WORKER_MS+=("$worker")
  # after a build the worker empties its directory and starts the next build's sandboxes ahead; that work is
  # the service's, so let it end before timing the bare commands
  sleep 0.3
  BARE_MS+=("$(bare)")
  sleep 0.3
done
test -s "$WORK/bare/out/image.elf"

API_MED=$(printf '%s\n' "${API_MS[@]}" | median)
WORKER_MED=$(printf '%s\n' "${WORKER_MS[@]}" | median)
BARE_MED=$(printf '%s\n' "${BARE_MS[@]}" | median)
echo "target $TARGET, $N fresh hello builds"
echo "POST /v1/builds -> succeeded: median ${API_MED} ms   (all: ${API_MS[*]})"
echo "  worker, start to linked image (the record's durationMs): median ${WORKER_MED} ms"
echo "bare clang + ld.lld:          median ${BARE_MED} ms   (all: ${BARE_MS[*]})"
python3 -c "print('ratio: %.2fx (goal < 1.3x); worker alone: %.2fx' % ($API_MED / $BARE_MED, $WORKER_MED / $BARE_MED))"
if [ -n "${KEEP:-}" ]; then # per-command times of the last build, from its log
  curl -sf -H "Authorization: Bearer $TOKEN" "$API/v1/builds/$(echo "$LAST" | cut -d' ' -f2)/log" | grep -E '^# |  # [0-9]+ ms$'
fi
