#!/bin/sh
# Installs what compiles and boots Tailor images, from Debian packages, only when missing:
# clang, ld.lld, wasm-ld and llvm-objdump (one compiler for every architecture), QEMU for x86, ARM and RISC-V (system
# emulation boots images; user mode runs ARM, RISC-V and 32-bit x86 `linux` executables), Node.js (runs wasm32 modules with
# compiler-workers/wasm/run.mjs) and bubblewrap for the build sandbox. Safe to run again: it installs nothing that is
# present.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
have clang || need="$need clang"
have ld.lld && have wasm-ld || need="$need lld"
have llvm-objdump || need="$need llvm"
have qemu-system-x86_64 && have qemu-system-i386 || need="$need qemu-system-x86"
have qemu-system-aarch64 && have qemu-system-arm || need="$need qemu-system-arm"
have qemu-system-riscv64 || need="$need qemu-system-misc"
have qemu-aarch64 && have qemu-arm && have qemu-i386 && have qemu-riscv64 || need="$need qemu-user"
have node || need="$need nodejs"
have bwrap || need="$need bubblewrap"

if [ -z "$need" ]; then
    echo "install-toolchains: everything is installed"
else
    if [ "$(id -u)" -ne 0 ]; then
        SUDO=sudo
    else
        SUDO=
    fi
    echo "install-toolchains: installing$need"
    $SUDO apt-get update
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need
fi

clang --version | head -n 1
ld.lld --version
qemu-system-x86_64 --version | head -n 1
qemu-system-aarch64 --version | head -n 1
qemu-system-riscv64 --version | head -n 1
echo "node $(node --version)"
bwrap --version
