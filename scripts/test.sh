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
status=0
./mvnw -B verify "$@" || status=$?
if [ "$status" -ne 0 ]; then
    # a test that timed out left every thread's stack in its output file (testsupport.ThreadDumpOnTimeout): show it
    # here, since CI keeps only the console
    for f in $(grep -l '^=== threads when' target/surefire-reports/*-output.txt 2>/dev/null); do
        echo "--- $f"
        sed -n '/^=== threads when/,/^=== end of threads/p' "$f" | head -1500
    done
fi
exit "$status"
