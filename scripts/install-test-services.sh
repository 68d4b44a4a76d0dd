#!/bin/sh
# Installs the services the tests start for real (Debian/Ubuntu packages), skipping what is already there.
#   varnish, varnish-modules  the Varnish edge and its xkey vmod (cdn-config/varnish)
#   nginx                     the nginx edge (cdn-config/nginx) and the bench yardstick
#   wrk, hyperfine            load generators for bench/
set -eu

missing=""
need() {
    # $1: package, $2: a file or command that proves it is installed
    if ! command -v "$2" >/dev/null 2>&1 && [ ! -e "$2" ]; then
        missing="$missing $1"
    fi
}

need varnish varnishd
need varnish-modules /usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so
need nginx nginx
need wrk wrk
need hyperfine hyperfine

# the vmod path differs per architecture: ask dpkg when the file check above cannot know
if echo "$missing" | grep -q varnish-modules && dpkg -s varnish-modules >/dev/null 2>&1; then
    missing=$(echo "$missing" | sed 's/ varnish-modules//')
fi

if [ -z "$missing" ]; then
    echo "test services: all present"
    exit 0
fi
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
