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
