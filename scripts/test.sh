#!/bin/sh
# Runs every test. Installs what is missing first: JDK, the toolchains (clang/lld, QEMU, bubblewrap) and the
# services the tests start themselves on 127.0.0.1 (RabbitMQ, Varnish, nginx, ...). Maven fetches the rest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-java.sh
sh compiler-workers/install-toolchains.sh
if [ -f scripts/install-test-services.sh ]; then
    sh scripts/install-test-services.sh
fi
exec ./mvnw -B verify "$@"
