#!/bin/sh
# Starts Tailor with its embedded defaults: one process, data in cache/, in-process workers.
# Installs what is missing first (JDK, clang/lld, QEMU, bubblewrap), then builds and runs the jar.
# Extra arguments go to the service, e.g. scripts/start.sh --server.port=9090
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-java.sh
sh compiler-workers/install-toolchains.sh >/dev/null
./mvnw -B -q -DskipTests package
exec java -jar target/tailor-*.jar "$@"
