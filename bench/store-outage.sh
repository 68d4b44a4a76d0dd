#!/usr/bin/env bash
# How promptly the service answers while its S3 store is down, and how long its first upload takes once the store
# is back: runs DistributedModeApiTest's outage test (a private S3Proxy stopped and started again under the running
# service, RabbitMQ for dispatch) and prints the two figures it measures. The test asserts the answers (503
# store.unavailable with Retry-After, health DOWN, recovery); the times depend on the machine, so they are printed
# here instead. The S3 client's own limits bound them: connect 2 s, 10 s a call with its retries.
#
#   bench/store-outage.sh      (needs what the tests need: a JDK 17 and rabbitmq-server; see scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o verify -Dtest='DistributedModeApiTest#storeOutage*' -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
grep -h -e '^upload while the store is down' -e '^first upload after the store returned' \
    target/surefire-reports/dev.tailor.DistributedModeApiTest-output.txt
