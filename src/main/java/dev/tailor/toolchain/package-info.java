/** Turns sources and a catalog target into a bootable unikernel image: toolchains are data, this is the driver. */
package dev.tailor.toolchain;
