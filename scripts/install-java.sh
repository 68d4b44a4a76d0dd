#!/bin/sh
# Installs a JDK 17 from Debian packages when no java/javac is on the PATH. Maven itself comes from the
# wrapper (./mvnw), which fetches it from Maven Central on first use.
set -eu
if command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1; then
    exit 0
fi
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-java: installing openjdk-17-jdk-headless"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends openjdk-17-jdk-headless
