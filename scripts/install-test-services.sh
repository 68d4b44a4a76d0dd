#!/bin/sh
# Installs the services that the tests start by themselves, from Debian packages, only when missing:
# RabbitMQ (dev.tailor.testsupport.RabbitMqServer runs a private node from it) and docker-compose (its
# `config -q` validates docker-compose.yml offline; no Docker engine is needed). S3Proxy needs nothing here:
# Maven fetches its jar. Safe to run again: it installs nothing that is present.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need="$need rabbitmq-server"
have docker-compose || need="$need docker-compose"

if [ -z "$need" ]; then
    echo "install-test-services: everything is installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "install-test-services: installing$need"
$SUDO apt-get update
# The package's own service would take port 5672 and the default epmd; the tests never use it, so where
# policy-rc.d allows it to start it is harmless, and where it does not, nothing is lost.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need
