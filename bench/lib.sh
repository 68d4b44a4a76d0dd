# Shared by the benchmarks (POSIX sh; sourced by bench/boot.sh and bench/serve.sh).

# requests/s of wrk against URL ($1) for a duration ($2), with $THREADS threads and $CONNECTIONS connections
rps() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" "$1" | awk '/^Requests\/sec:/ { print $2 }'
}

# nginx_start DIR PORT LOCATIONS [HTTP_DIRECTIVES]: starts nginx in the foreground (its pid in $nginx_pid) on
# 127.0.0.1:PORT, with its configuration, pid, logs and temporary files under DIR, serving the location blocks
# given; the peer the benchmarks measure Tailor against, tuned alike (no access log, long keep-alive).
nginx_start() {
    mkdir -p "$1/tmp" "$1/logs"
    cat > "$1/nginx.conf" <<CONF
user root;
worker_processes auto;
daemon off;
pid $1/nginx.pid;
error_log $1/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000;
    ${4:-}
    client_body_temp_path $1/tmp;
    proxy_temp_path $1/tmp;
    fastcgi_temp_path $1/tmp;
    uwsgi_temp_path $1/tmp;
    scgi_temp_path $1/tmp;
    server {
        listen 127.0.0.1:$2;
        $3
    }
}
CONF
    nginx -p "$1" -c "$1/nginx.conf" > "$1/logs/stdout.log" 2>&1 &
    nginx_pid=$!
}

# service_start NAME JAR PORT DATA LOG [ARGS...]: starts the Tailor jar (limits per token and per address off: the
# benchmarks are one client at full speed) on 127.0.0.1:PORT with the data directory
# DATA and extra arguments, its output in LOG, its pid in $service_pid (set at once, so a caller's cleanup can stop
# it whatever happens next); waits up to 3 minutes until it is healthy and its admin token is written. Returns 1,
# with the end of LOG on stderr, when it does not come up.
service_start() {
    _name=$1 _jar=$2 _port=$3 _data=$4 _log=$5
    shift 5
    java ${BENCH_JAVA_OPTS:-} -jar "$_jar" --server.port="$_port" --server.address=127.0.0.1 \
        --tailor.data-dir="$_data" --logging.level.root=WARN \
        --tailor.limits.management-per-minute=0 --tailor.limits.builds-per-minute=0 \
        --tailor.limits.waiting-boots-per-client=100000 "$@" >"$_log" 2>&1 &
    service_pid=$!
    _i=0
    while [ "$_i" -lt 360 ] && kill -0 "$service_pid" 2>/dev/null; do
        if [ -s "$_data/admin-token" ] && curl -sf --max-time 2 "http://127.0.0.1:$_port/actuator/health" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
        _i=$((_i + 1))
    done
    echo "$_name: the service did not start on 127.0.0.1:$_port; the end of its log:" >&2
    tail -n 30 "$_log" >&2 || true
    return 1
}
