package dev.tailor.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tailor.builds.BuildJob;
import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import dev.tailor.fingerprint.CpuProfile;
import dev.tailor.fingerprint.FingerprintException;
import dev.tailor.fingerprint.FingerprintParser;
import dev.tailor.fingerprint.Policy;
import dev.tailor.fingerprint.TargetResolver;
import dev.tailor.payoff.PayoffReport;
import dev.tailor.store.Digest;
import dev.tailor.store.Directories;
import dev.tailor.toolchain.CommandRunner;
import dev.tailor.toolchain.CompileFailedException;
import dev.tailor.toolchain.CompileRequest;
import dev.tailor.toolchain.CompileResult;
import dev.tailor.toolchain.Flavor;
import dev.tailor.toolchain.ImageCompiler;
import dev.tailor.toolchain.LocalCommandRunner;

/**
 * The worker's side of a payoff run: which rungs this machine's CPU can run, each built as a {@code linux} executable
 * in the build's sandbox, then timed natively in rounds (every distinct executable once per round, so a burst of
 * load on a shared machine falls on every rung alike), each run in the sandbox under the app's own seccomp filter
 * and the sandbox's limits. Never under an emulator: QEMU would time QEMU.
 *
 * <p>The worker's CPU is read the way a device reports it to Tailor: on x86 by Tailor's probe (CPUID, with the
 * state the OS enabled, which is the truth for what runs; a hypervisor's /proc/cpuinfo can hide flags the CPU
 * executes), elsewhere from /proc/cpuinfo. Rungs whose features it lacks are not measured.
 */
final class PayoffRunner {

    private static final Pattern METRIC = Pattern.compile("(?m)^tailor-metric: ([a-z0-9_]{1,63})=(\\S+)$");
    private static final String MAIN_NS = "main_ns";

    private final ImageCompiler compiler;
    private final TargetCatalog catalog;
    private final TargetResolver resolver;
    private final SandboxLimits limits;
    private final boolean isolate;
    private final int rounds;
    private final Duration runTimeout;
    private final Path probeWork;
    private final Clock clock;
    private final Map<Arch, HostCpu> hostCpus = new ConcurrentHashMap<>();

    /** This machine's CPU, as a device reporting it would be resolved. */
    record HostCpu(CpuProfile profile, String model, Target nativeTarget, Target level) {
        PayoffReport.MeasuredOn measuredOn() {
            return new PayoffReport.MeasuredOn(profile.arch().id(), profile.vendor(), model, nativeTarget.id(),
                    level.id(), profile.arch().id() + ":" + String.join(",", profile.features()));
        }
    }

    /** One rung's timed executable. */
    private record Rung(Target target, Path executable, Digest digest, String toolchain, String error) {
    }

    PayoffRunner(ImageCompiler compiler, TargetCatalog catalog, TargetResolver resolver, SandboxLimits limits,
                 boolean isolate, int rounds, Duration runTimeout, Path probeWork, Clock clock) {
        this.compiler = compiler;
        this.catalog = catalog;
        this.resolver = resolver;
        this.limits = limits;
        this.isolate = isolate;
        this.rounds = rounds;
        this.runTimeout = runTimeout;
        this.probeWork = probeWork;
        this.clock = clock;
    }

    /**
     * @param machine held shared by the caller; the timing takes it alone (no build of this worker runs meanwhile)
     *                and gives it back shared
     */
    PayoffReport run(BuildJob job, CompileRequest request, Workspace workspace, Consumer<String> log,
                     ReentrantReadWriteLock machine) throws SandboxWorker.BuildFailure {
        Arch arch = Arch.parse(job.arch()).orElseThrow();
        HostCpu cpu = hostCpu(arch);
        log.accept("# measuring on " + cpu.measuredOn() + ", level " + cpu.level().id() + "; " + rounds + " rounds");
        SandboxedRunner runner = new SandboxedRunner(isolate, limits, workspace, log);
        List<Rung> rungs = new ArrayList<>();
        for (Target t : catalog.forArch(arch)) {
            if (t.isSafeFor(cpu.profile().features()) && compiler.supports(t, Flavor.LINUX)) {
                rungs.add(build(request, t, workspace, runner, rungs.isEmpty()));
                if (rungs.size() == 1) {
                    tryBaseline(rungs.get(0), runner);
                }
            }
        }
        Map<Digest, List<Long>> times = new LinkedHashMap<>();
        Map<Digest, Map<String, List<Double>>> metrics = new HashMap<>();
        Map<Digest, String> errors = new HashMap<>();
        Map<Digest, Path> distinct = new LinkedHashMap<>();
        rungs.stream().filter(r -> r.error() == null).forEach(r -> distinct.putIfAbsent(r.digest(), r.executable()));
        log.accept("# " + rungs.size() + " rungs this CPU runs, " + distinct.size() + " distinct executables");
        long waitStart = System.nanoTime();
        machine.readLock().unlock();
        machine.writeLock().lock();
        log.accept("# timing alone on this worker (waited " + (System.nanoTime() - waitStart) / 1_000_000
                + " ms for its other builds)");
        try {
            time(distinct, runner, times, metrics, errors);
        } finally {
            machine.writeLock().unlock();
            machine.readLock().lock();
        }
        Rung baseline = rungs.get(0);
        if (errors.containsKey(baseline.digest())) {
            throw new SandboxWorker.BuildFailure("payoff.app_failed", "On the baseline " + baseline.target().id()
                    + " the app " + errors.get(baseline.digest()) + ": nothing to compare against", null);
        }
        return new PayoffReport(job.app(), job.bundle(), arch.id(), job.key(), clock.instant(), cpu.measuredOn(),
                rounds, results(rungs, times, metrics, errors));
    }

    /** Rounds over the distinct executables, each run once per round, each round starting one further along. */
    private void time(Map<Digest, Path> distinct, SandboxedRunner runner, Map<Digest, List<Long>> times,
                      Map<Digest, Map<String, List<Double>>> metrics, Map<Digest, String> errors) {
        List<Map.Entry<Digest, Path>> executables = List.copyOf(distinct.entrySet());
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<Digest, Path> e : inRound(executables, round)) {
                if (errors.containsKey(e.getKey())) {
                    continue;
                }
                CommandRunner.Result r = runner.run(List.of("env", "TAILOR_TIMING=1", e.getValue().toString()),
                        e.getValue().getParent(), runTimeout);
                Map<String, Double> figures = figures(r.stdout());
                Double ns = figures.remove(MAIN_NS);
                if (!r.succeeded() || ns == null) {
                    errors.put(e.getKey(), failure(r));
                    continue;
                }
                times.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ns.longValue());
                figures.forEach((k, v) -> metrics.computeIfAbsent(e.getKey(), x -> new LinkedHashMap<>())
                        .computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
        }
    }

    /**
     * The order of one round: rotated by the round's number, so no executable always runs first after the builds or
     * always right after the same neighbour (a place in the round that is slower, for whatever reason the machine
     * has, falls on every rung in turn).
     */
    static <T> List<T> inRound(List<T> executables, int round) {
        if (executables.isEmpty()) {
            return executables;
        }
        int start = round % executables.size();
        List<T> out = new ArrayList<>(executables.subList(start, executables.size()));
        out.addAll(executables.subList(0, start));
        return out;
    }

    /** One untimed run of the baseline first: an app that fails there fails the run before every rung is built. */
    private void tryBaseline(Rung baseline, SandboxedRunner runner) throws SandboxWorker.BuildFailure {
        CommandRunner.Result r = runner.run(List.of("env", "TAILOR_TIMING=1", baseline.executable().toString()),
                baseline.executable().getParent(), runTimeout);
        if (!r.succeeded() || !figures(r.stdout()).containsKey(MAIN_NS)) {
            throw new SandboxWorker.BuildFailure("payoff.app_failed", "On the baseline " + baseline.target().id()
                    + " the app " + failure(r) + ": nothing to compare against", null);
        }
    }

    private Rung build(CompileRequest request, Target t, Workspace workspace, SandboxedRunner runner, boolean baseline)
            throws SandboxWorker.BuildFailure {
        Path dir = workspace.out.resolve("payoff").resolve(t.id());
        try {
            Files.createDirectories(dir);
            CompileResult compiled = compiler.compile(request, t, Flavor.LINUX, dir, runner);
            byte[] bytes = Files.readAllBytes(compiled.image());
            return new Rung(t, compiled.image(), Digest.of(Digest.sha256().digest(bytes)), compiled.toolchainId(), null);
        } catch (CompileFailedException e) {
            if (baseline) {
                boolean link = e.getMessage() != null && e.getMessage().startsWith("link");
                throw new SandboxWorker.BuildFailure(link ? "build.link_error" : "build.compile_error",
                        (link ? "Linking" : "Compilation") + " failed for the baseline " + t.id(),
                        Diagnostics.parse(e.diagnostics()));
            }
            return new Rung(t, null, null, compiler.toolchainId(t, Flavor.LINUX), "did not build: "
                    + firstLine(e.diagnostics()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<PayoffReport.Result> results(List<Rung> rungs, Map<Digest, List<Long>> times,
                                              Map<Digest, Map<String, List<Double>>> metrics, Map<Digest, String> errors) {
        Map<String, Long> medians = new HashMap<>();
        for (Rung r : rungs) {
            if (r.error() == null && !errors.containsKey(r.digest())) {
                medians.put(r.target().id(), median(times.get(r.digest())));
            }
        }
        Long base = medians.get(rungs.get(0).target().id());
        List<PayoffReport.Result> results = new ArrayList<>();
        for (Rung r : rungs) {
            String error = r.error() != null ? r.error() : errors.get(r.digest());
            if (error != null) {
                results.add(new PayoffReport.Result(r.target().id(), r.target().parent(), r.toolchain(), r.digest(),
                        null, null, null, null, null, null, null, null, error));
                continue;
            }
            List<Long> ts = times.get(r.digest());
            long median = medians.get(r.target().id());
            Long parent = r.target().parent() == null ? null : medians.get(r.target().parent());
            Map<String, Double> figures = new LinkedHashMap<>();
            metrics.getOrDefault(r.digest(), Map.of()).forEach((k, v) -> figures.put(k, medianOf(v)));
            results.add(new PayoffReport.Result(r.target().id(), r.target().parent(), r.toolchain(), r.digest(),
                    ts.size(), median, ts.stream().min(Long::compare).orElseThrow(),
                    ts.stream().max(Long::compare).orElseThrow(), round(base / (double) Math.max(1, median)),
                    parent == null ? null : round(parent / (double) Math.max(1, median)), figures, ts, null));
        }
        return results;
    }

    /** The CPU of this machine for executables of the architecture, read once. */
    HostCpu hostCpu(Arch arch) throws SandboxWorker.BuildFailure {
        HostCpu known = hostCpus.get(arch);
        if (known != null) {
            return known;
        }
        Arch host = hostArch();
        if (!(host == arch || host == Arch.X86_64 && arch == Arch.I686 || host == Arch.AARCH64 && arch == Arch.ARMV7)) {
            throw new SandboxWorker.BuildFailure("payoff.no_native_worker", "This worker runs on " + (host == null
                    ? System.getProperty("os.arch") : host.id()) + " and cannot run " + arch.id() + " executables "
                    + "natively; a payoff run of " + arch.id() + " needs a worker on a " + arch.id() + " machine "
                    + "(timing under an emulator would measure the emulator)", null);
        }
        CpuProfile profile;
        try {
            profile = arch == Arch.X86_64 || arch == Arch.I686 ? probe(arch)
                    : FingerprintParser.parse("text/plain", cpuinfo().getBytes(StandardCharsets.UTF_8), arch.id());
        } catch (FingerprintException e) {
            throw new SandboxWorker.BuildFailure("payoff.no_native_worker", "This worker cannot tell its own "
                    + arch.id() + " CPU: " + e.getMessage(), null);
        }
        HostCpu cpu = new HostCpu(profile, modelName(), resolver.resolve(profile, Policy.NATIVE).target(),
                resolver.resolve(profile, Policy.LEVEL).target());
        hostCpus.put(arch, cpu);
        return cpu;
    }

    /** Tailor's probe as a linux executable of the baseline, run here: CPUID as a device's unikernel reads it. */
    private CpuProfile probe(Arch arch) throws SandboxWorker.BuildFailure {
        Path dir = probeWork.resolve(arch.id() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            CompileResult probe = compiler.compile(compiler.probeRequest("probe"), catalog.baseline(arch),
                    Flavor.LINUX, dir);
            CommandRunner.Result r = new LocalCommandRunner().run(List.of(probe.image().toString()), dir,
                    Duration.ofSeconds(30));
            Matcher m = Pattern.compile("(?m)^tailor-cpu: (\\S+)$").matcher(r.stdout());
            if (!r.stdout().contains("tailor: boot ")) {
                throw new SandboxWorker.BuildFailure("payoff.no_native_worker", "This machine's kernel does not run "
                        + arch.id() + " executables (exit " + r.exitCode() + "); a payoff run of " + arch.id()
                        + " needs a worker that does", null);
            }
            if (!r.succeeded() || !m.find()) {
                throw new SandboxWorker.BuildFailure("payoff.no_native_worker", "The probe could not tell this "
                        + "machine's " + arch.id() + " CPU (it " + failure(r) + ")", null);
            }
            CpuProfile p = FingerprintParser.parseCompact(m.group(1));
            // the probe names the vendor on a line of its own, which named microarchitectures need
            Matcher v = Pattern.compile("(?m)^tailor-cpu-model: vendor=(\\S+)").matcher(r.stdout());
            return v.find() ? new CpuProfile(p.arch(), v.group(1), p.model(), p.parts(), p.features(), p.notes()) : p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Directories.delete(dir);
        }
    }

    static Arch hostArch() {
        return switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> Arch.X86_64;
            case "x86", "i386", "i486", "i586", "i686" -> Arch.I686;
            case "aarch64", "arm64" -> Arch.AARCH64;
            case "arm" -> Arch.ARMV7;
            case "riscv64" -> Arch.RISCV64;
            default -> null;
        };
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The processor's marketing name as /proc/cpuinfo gives it, for people reading the report. */
    private static String modelName() {
        return Arrays.stream(cpuinfo().split("\n")).filter(l -> l.startsWith("model name") || l.startsWith("Model")
                || l.startsWith("uarch"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).filter(s -> !s.isEmpty()).findFirst().orElse(null);
    }

    private static Map<String, Double> figures(String stdout) {
        Map<String, Double> figures = new LinkedHashMap<>();
        Matcher m = METRIC.matcher(stdout);
        while (m.find()) {
            try {
                double v = Double.parseDouble(m.group(2));
                if (Double.isFinite(v)) {
                    figures.put(m.group(1), v);
                }
            } catch (NumberFormatException ignored) {
                // not a number: not a figure
            }
        }
        return figures;
    }

    private static String failure(CommandRunner.Result r) {
        String out = (r.stdout() + r.stderr()).strip();
        String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
        return (r.timedOut() ? "ran past the time limit" : r.exitCode() > 128 && r.exitCode() < 160
                ? "was killed by signal " + (r.exitCode() - 128) + signalMeaning(r.exitCode() - 128)
                : "exited " + r.exitCode())
                + (last.isEmpty() ? "" : " (" + clip(last) + ")");
    }

    private static String signalMeaning(int signal) {
        return switch (signal) {
            case 31 -> " (SIGSYS: a system call the app's seccomp filter forbids)";
            case 9 -> " (SIGKILL: a limit of the sandbox)";
            case 24 -> " (SIGXCPU: the CPU time limit)";
            default -> "";
        };
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return clip(nl < 0 ? t : t.substring(0, nl));
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static long median(List<Long> xs) {
        List<Long> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double medianOf(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
