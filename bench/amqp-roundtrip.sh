#!/usr/bin/env bash
# What RabbitMQ adds to a build: a build that does nothing, from dispatch to the finished event, through a private
# RabbitMQ node (persistent publish, confirm, delivery, events back through the fanout) beside the in-process pools;
# 200 builds each, one after another, the second half measured. Prints both medians and 90th percentiles.
# (AmqpRoundTripTest checks the same path for correctness; this measures it.)
#
#   bench/amqp-roundtrip.sh      (needs what the tests need: a JDK 17 and rabbitmq-server; see scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o verify -Dtest=AmqpRoundTripBench -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
grep -h '^no-op build' target/surefire-reports/dev.tailor.amqp.AmqpRoundTripBench-output.txt
