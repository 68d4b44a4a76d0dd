#!/bin/sh
# Installs the services the tests start for real on 127.0.0.1, from Debian packages, only when missing:
#   rabbitmq-server           dev.tailor.testsupport.RabbitMqServer runs a private node from it
#   docker-compose            `docker-compose config -q` validates docker-compose.yml offline (no engine needed)
#   varnish, varnish-modules  the Varnish edge and its xkey vmod (cdn-config/varnish)
#   nginx                     the nginx edge (cdn-config/nginx), the device-client tests and the bench yardstick
#   wrk, hyperfine            load generators for bench/
#   chromium, chromium-driver the headless browser and its WebDriver that DashboardBrowserTest drives
#   fonts-liberation          a font for it (chromium only recommends one), so its screenshots have legible text
# S3Proxy needs nothing here: Maven fetches its jar. Safe to run again: it installs nothing that is present.
set -eu

missing=""
need() {
    # $1: package; $2: a command or file that proves it is installed
    if ! command -v "$2" >/dev/null 2>&1 && [ ! -e "$2" ]; then
        missing="$missing $1"
    fi
}
installed() { dpkg -s "$1" >/dev/null 2>&1; }

need rabbitmq-server /usr/lib/rabbitmq/bin/rabbitmq-server
need docker-compose docker-compose
need varnish varnishd
installed varnish-modules || missing="$missing varnish-modules"
need nginx nginx
need wrk wrk
need hyperfine hyperfine
need chromium /usr/bin/chromium
need chromium-driver /usr/bin/chromedriver
installed fonts-liberation || missing="$missing fonts-liberation"

if [ -z "$missing" ]; then
    echo "install-test-services: everything is installed"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-test-services: installing$missing"
$SUDO apt-get update
# The packages' own services (rabbitmq, nginx, varnish) may start on their default ports; the tests never use
# them and run private instances on free ports instead.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
