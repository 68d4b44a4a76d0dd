package dev.tailor.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;

/**
 * Runs a {@code linux} executable or a wasm32 module on this host, the way a payoff run does: x86_64 natively;
 * i686 natively where the kernel runs 32-bit executables, else under {@code qemu-i386}; aarch64, armv7 and riscv64
 * under QEMU user mode (which refuses seccomp, so with {@code TAILOR_UNCONFINED=1} unless asked not to), on the CPU
 * model the catalog says runs the target ({@code qemu.runs}: an ARMv6 executable on an ARM1176, an RVA20 one on a
 * SiFive U54), or on one with every feature of the ladder for a target without one; wasm32 under Node with
 * {@code compiler-workers/wasm/run.mjs}.
 */
final class HostRunner {

    static final Path RUN_MJS = Path.of("compiler-workers", "wasm", "run.mjs").toAbsolutePath();

    /** @param exitCode the process's status; 128 + n when a signal n killed it (159 for seccomp's SIGSYS) */
    record Run(String console, int exitCode, boolean timedOut) {
    }

    private static volatile Boolean nativeI686;

    private HostRunner() {
    }

    static Run run(Target target, Path file) {
        return run(target, file, true);
    }

    /** @param unconfinedUnderQemu whether to allow an emulated executable to run without its seccomp filter */
    static Run run(Target target, Path file, boolean unconfinedUnderQemu) {
        String model = target.qemu() == null ? null : target.qemu().runs();
        List<String> argv = new ArrayList<>();
        boolean emulated = true;
        switch (target.arch()) {
            case X86_64 -> emulated = false;
            case I686 -> {
                emulated = !runsI686Natively(file);
                if (emulated) {
                    argv.addAll(List.of("qemu-i386", "-cpu", model != null ? model : "max"));
                }
            }
            case AARCH64 -> argv.addAll(List.of("qemu-aarch64", "-cpu", model != null ? model : "max"));
            case ARMV7 -> argv.addAll(List.of("qemu-arm", "-cpu", model != null ? model : "cortex-a15"));
            // without a model: a hart with every extension of the ladder, bitmanip (on by default) and V
            case RISCV64 -> argv.addAll(List.of("qemu-riscv64", "-cpu", model != null ? model : "rv64,v=true,vlen=128"));
            case WASM32 -> {
                argv.addAll(List.of("node", RUN_MJS.toString()));
                emulated = false;
            }
        }
        argv.add(file.toString());
        return exec(argv, emulated && unconfinedUnderQemu ? Map.of("TAILOR_UNCONFINED", "1") : Map.of());
    }

    /**
     * This machine's kernel may lack 32-bit support (seen: an x86_64 kernel with IA-32 emulation off). Then exec
     * fails, and Java runs the file as a shell script instead: the runtime's banner never appears.
     */
    private static boolean runsI686Natively(Path file) {
        if (nativeI686 == null) {
            nativeI686 = exec(List.of(file.toString()), Map.of("TAILOR_UNCONFINED", "1")).console().contains("tailor: ");
        }
        return nativeI686;
    }

    static Run exec(List<String> argv, Map<String, String> env) {
        Path out = null;
        try {
            out = Files.createTempFile("host-run-", ".out");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().remove("TAILOR_UNCONFINED");
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            return new Run(Files.readString(out, StandardCharsets.UTF_8), done ? p.exitValue() : -1, !done);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
