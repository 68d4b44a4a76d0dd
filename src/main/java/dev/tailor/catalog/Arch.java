package dev.tailor.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The CPU architectures Tailor builds for, with the spellings devices use for them. */
public enum Arch {
    X86_64("x86_64", "amd64", "x86-64", "x64"),
    I686("i686", "i386", "i486", "i586", "x86"),
    AARCH64("aarch64", "arm64", "armv8"),
    ARMV7("armv7", "armv7l", "armhf", "arm", "armv7a", "armv6l", "armv6"),
    /** 64-bit RISC-V (RV64GC and up); {@code uname -m} says riscv64. */
    RISCV64("riscv64", "riscv", "rv64", "rv64gc", "riscv64gc"),
    /** WebAssembly: a portable module rather than a machine, built only for apps whose manifest lists it. */
    WASM32("wasm32", "wasm");

    private final String id;
    private final List<String> aliases;

    Arch(String id, String... aliases) {
        this.id = id;
        this.aliases = List.of(aliases);
    }

    /** The canonical name, as used in target ids, queue names and API documents. */
    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    static Arch fromJson(String name) {
        return parse(name).orElseThrow(() -> new IllegalArgumentException("unknown architecture " + name));
    }

    public static Optional<Arch> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.id.equals(n) || a.aliases.contains(n)).findFirst();
    }

    /** Every canonical name, for messages: "x86_64, i686, aarch64, armv7, riscv64, wasm32". */
    public static String known() {
        return String.join(", ", Arrays.stream(values()).map(Arch::id).toList());
    }

    /** True for real CPUs (whose builds boot as images); false for WebAssembly. */
    public boolean isMachine() {
        return this != WASM32;
    }

    @Override
    public String toString() {
        return id;
    }
}
