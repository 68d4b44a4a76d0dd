#!/bin/sh
# Packs one payoff kernel as a bundle: the kernel's directory (tailor.yaml, main.c) at the root, with the shared
# lib/ beside it. The same files give the same bundle digest however they are packed.
#   examples/payoff/pack.sh aes-gcm /tmp/aes-gcm.tar.gz
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: pack.sh KERNEL OUT.tar.gz (kernels: $(cd "$here" && ls -d */ | tr -d / | grep -v '^lib$' | tr '\n' ' '))}
out=${2:?usage: pack.sh KERNEL OUT.tar.gz}
[ -f "$here/$kernel/tailor.yaml" ] || { echo "pack.sh: no kernel $kernel in $here" >&2; exit 2; }
tar -czf "$out" -C "$here/$kernel" . -C "$here" lib
