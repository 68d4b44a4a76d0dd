package dev.tailor.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.tailor.catalog.Target;

/**
 * The workload suite of {@code examples/payoff}: each kernel packed as its bundle is (its directory with the shared
 * {@code lib/} beside it), built for a target and flavor, with a short measuring budget so correctness runs are quick.
 */
final class PayoffKernels {

    static final Path ROOT = Path.of("examples", "payoff").toAbsolutePath();
    /** Milliseconds per measurement: enough to run every timed loop a few times, little under emulation. */
    static final String QUICK_BUDGET_MS = "2";

    private static final Map<String, Path> PACKED = new ConcurrentHashMap<>();

    private PayoffKernels() {
    }

    /** The kernel names: every directory with a manifest. */
    static List<String> names() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("tailor.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request the bundle service would make for the kernel, with the quick budget. */
    static CompileRequest request(String kernel) {
        Path dir = PACKED.computeIfAbsent(kernel, PayoffKernels::pack);
        CompileRequest r = TestToolchain.example(dir, "payoff-" + kernel);
        Map<String, String> defines = new LinkedHashMap<>(r.defines());
        defines.put("PAYOFF_BUDGET_MS", QUICK_BUDGET_MS);
        return new CompileRequest(r.sourceRoot(), r.sources(), r.includeDirs(), defines, r.optimize(), r.heapBytes(),
                r.appName(), r.buildKey());
    }

    static CompileResult build(String kernel, Target target, Flavor flavor) {
        return TestToolchain.COMPILER.compile(request(kernel), target, flavor,
                TestToolchain.workDir(kernel + "-" + target.id() + "-" + flavor.id()));
    }

    /** The kernel's directory and lib/ copied into one directory, as pack.sh lays them out in the bundle. */
    private static Path pack(String kernel) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(TestToolchain.CACHE), "payoff-" + kernel + "-");
            copy(ROOT.resolve(kernel), dir);
            copy(ROOT.resolve("lib"), dir.resolve("lib"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The x86 feature flags of this machine's CPU, to run natively only what it can. */
    static Set<String> hostFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return new TreeSet<>(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException e) {
            // no /proc/cpuinfo: nothing runs natively beyond the baseline
        }
        return Set.of();
    }

    /** A run passed when every known-answer check passed, it measured, and it ended with status 0. */
    static String verdict(HostRunner.Run run) {
        String c = run.console();
        if (run.timedOut()) {
            return "timed out";
        }
        if (run.exitCode() != 0 || c.contains("FAILED") || !c.contains("payoff: kat ")
                || !c.contains("payoff: result ") || !c.contains("payoff: done ")) {
            return "exit " + run.exitCode() + ":\n" + c;
        }
        return "ok";
    }
}
