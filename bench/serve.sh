#!/bin/sh
# Serving a cached 1 MiB image: Tailor (packaged jar, heap capped at 256 MiB) against nginx serving the same file
# from disk, one after the other with the same wrk load. Prints requests/s of each and the ratio (goal >= 0.8).
#
#   bench/serve.sh            DURATION=10s CONNECTIONS=64 THREADS=2 to change the load
# Needs java 17, wrk, nginx, curl; builds the jar with Maven when target/ has none.
set -eu

cd "$(dirname "$0")/.."
. bench/lib.sh
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

for tool in java wrk nginx curl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is required (scripts/install-test-services.sh)" >&2; exit 2; }
done

jar=$(ls target/tailor-*.jar 2>/dev/null | grep -v -- '-plain' | head -n 1 || true)
if [ -z "$jar" ]; then
    mvn -B -q -DskipTests package
    jar=$(ls target/tailor-*.jar | grep -v -- '-plain' | head -n 1)
fi

work=$(mktemp -d /tmp/tailor-bench.XXXXXX)
chmod 755 "$work"
tailor_pid=""
nginx_pid=""
cleanup() {
    set +e
    [ -n "$tailor_pid" ] && kill "$tailor_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# the image: 1 MiB of random bytes at its content address in Tailor's data dir; nginx serves the same file
head -c 1048576 /dev/urandom > "$work/image"
hex=$(sha256sum "$work/image" | cut -d' ' -f1)
mkdir -p "$work/data/blobs/images/sha256"
mv "$work/image" "$work/data/blobs/images/sha256/$hex"
chmod -R a+rX "$work/data"
path="/v1/images/sha256/$hex"

tailor_port=$(free_port)
java -Xmx256m -jar "$jar" --server.port="$tailor_port" --tailor.data-dir="$work/data" \
    --logging.level.root=WARN > "$work/tailor.log" 2>&1 &
tailor_pid=$!

nginx_port=$(free_port)
nginx_start "$work/nginx" "$nginx_port" "location /v1/images/ {
            alias $work/data/blobs/images/;
            default_type application/octet-stream;
            add_header Cache-Control \"public, max-age=31536000, immutable\";
        }" "sendfile on; tcp_nopush on;"

for i in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$tailor_port$path" 2>/dev/null && break
    [ "$i" -eq 120 ] && { echo "bench: Tailor did not start" >&2; cat "$work/tailor.log" >&2; exit 1; }
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port$path" || { echo "bench: nginx does not serve the image" >&2; exit 1; }
[ "$(curl -fsS "http://127.0.0.1:$tailor_port$path" | sha256sum | cut -d' ' -f1)" = "$hex" ] \
    || { echo "bench: Tailor served other bytes" >&2; exit 1; }


# CPU time (user + system, clock ticks) of a process and its children: less sensitive to neighbours than req/s
ticks() {
    total=0
    for p in "$@" $(pgrep -P "$1" 2>/dev/null); do
        t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    echo "$total"
}
hz=$(getconf CLK_TCK)

# the JIT needs a while on a busy 2-core machine: round 1 ran at half speed after only 10 s
echo "warming up (JIT, page cache)..."
rps "http://127.0.0.1:$tailor_port$path" 20s >/dev/null
rps "http://127.0.0.1:$nginx_port$path" 2s >/dev/null

# Alternate the two, ROUNDS times: the machine is shared, and alternating spreads any neighbour's load over both.
ROUNDS=${ROUNDS:-3}
echo "serving a cached 1 MiB image, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds"
tailor_all=""
nginx_all=""
round=1
while [ "$round" -le "$ROUNDS" ]; do
    nginx_base=$(ticks "$nginx_pid")
    c0=$(ticks "$tailor_pid")
    t=$(rps "http://127.0.0.1:$tailor_port$path" "$DURATION")
    c1=$(ticks "$tailor_pid")
    n=$(rps "http://127.0.0.1:$nginx_port$path" "$DURATION")
    c2=$(ticks "$nginx_pid")
    printf '  round %d: Tailor %10s req/s   nginx %10s req/s   ratio %s   CPU/request: Tailor %s ms, nginx %s ms\n' \
        "$round" "$t" "$n" "$(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.2f", t / n }')" \
        "$(awk -v c="$((c1 - c0))" -v r="$t" -v d="${DURATION%s}" -v hz="$hz" 'BEGIN { printf "%.3f", c / hz * 1000 / (r * d) }')" \
        "$(awk -v c="$((c2 - nginx_base))" -v r="$n" -v d="${DURATION%s}" -v hz="$hz" 'BEGIN { printf "%.3f", c / hz * 1000 / (r * d) }')"
    tailor_all="$tailor_all $t"
    nginx_all="$nginx_all $n"
    round=$((round + 1))
done
# the median resists a neighbour's burst better than the mean
median() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
tailor=$(median "$tailor_all")
nginx=$(median "$nginx_all")
printf '  %-34s %10s req/s (median)\n' "Tailor (java -Xmx256m, zero-copy)" "$tailor"
printf '  %-34s %10s req/s (median)\n' "nginx (sendfile, same file)" "$nginx"
echo "  ratio Tailor/nginx: $(awk -v t="$tailor" -v n="$nginx" 'BEGIN { printf "%.2f", t / n }') (goal >= 0.8)"
