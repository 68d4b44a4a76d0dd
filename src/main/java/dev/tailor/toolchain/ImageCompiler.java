package dev.tailor.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tailor.store.Directories;
import dev.tailor.catalog.Target;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns (sources, target) into a bootable image: compiles the runtime once per (target, toolchain) into an on-disk
 * cache, compiles the app's sources in parallel with the target's flags, and links everything with one ld.lld call.
 * <p>
 * Outputs are reproducible: sources are compiled with relative paths from their root, prefix maps hide absolute
 * ones, objects are linked in a fixed order, and there is no debug info or build id, so the same inputs built in
 * two directories give the same bytes.
 */
public final class ImageCompiler implements AutoCloseable {

    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Where the runtime's directory appears in anything the compiler records (__FILE__ in runtime headers). */
    private static final String RUNTIME_PREFIX = "/tailor";

    private final Toolchains toolchains;
    private final CommandRunner runner;
    private final Path cacheDir;
    private final ExecutorService executor;
    /** Compiles of one build that run at once. */
    private final int parallel = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ConcurrentMap<String, CompletableFuture<RuntimeObjects>> runtimes = new ConcurrentHashMap<>();
    private volatile RuntimeSources sources;
    private volatile String toolVersions;
    private final ConcurrentMap<Map.Entry<Target, Flavor>, String> toolchainIds = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** @param log the compile transcript when this build compiled the runtime, else a line saying where it was cached */
    private record RuntimeObjects(List<Path> objects, boolean cached, Duration time, String log) {
    }

    private record Step(List<String> argv, CommandRunner.Result result) {
        String transcript() {
            StringBuilder sb = new StringBuilder("$ ").append(String.join(" ", argv)).append('\n');
            sb.append(result.stdout()).append(result.stderr());
            if (result.timedOut()) {
                sb.append("(timed out)\n");
            }
            return sb.toString();
        }
    }

    /**
     * @param cacheDir where extracted runtime sources and compiled runtime objects are kept across builds
     * @param executor compiles the runtime (once per target) beside the build's own compiles; its threads only wait
     *                 for processes
     */
    public ImageCompiler(Toolchains toolchains, CommandRunner runner, Path cacheDir, ExecutorService executor) {
        this.toolchains = toolchains;
        this.runner = runner;
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.executor = executor;
    }

    /** A compiler with the packaged toolchains, running commands locally, with its own daemon thread pool. */
    public static ImageCompiler local(Path cacheDir) {
        return create(Toolchains.load(), new LocalCommandRunner(), cacheDir);
    }

    /** A compiler with its own pool of daemon threads (for runtime compiles), shut down by {@link #close}. */
    public static ImageCompiler create(Toolchains toolchains, CommandRunner runner, Path cacheDir) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                r -> {
                    Thread t = new Thread(r, "image-compiler-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return new ImageCompiler(toolchains, runner, cacheDir, pool);
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    public Toolchains toolchains() {
        return toolchains;
    }

    /** Runtime sources and compiled runtime objects: what a sandboxed build must be able to read. */
    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The toolchain id: sha256 over the clang and ld.lld version strings, the runtime sources, this architecture's
     * toolchain description ({@link Toolchain#buildInputs}) and the target's catalog entry (its id, architecture
     * and cflags). Changing any of them names new images instead of silently changing old ones.
     */
    public String toolchainId(Target target) {
        return toolchainId(target, Flavor.IMAGE);
    }

    /** The toolchain id of a flavor; the flavor's toolchain description is part of it. */
    public String toolchainId(Target target, Flavor flavor) {
        toolCheck.accept(target.arch());
        return toolchainIds.computeIfAbsent(Map.entry(target, flavor), k -> computeToolchainId(target, flavor));
    }

    /** Called before anything is built for an architecture: throws when this machine lacks its tools. */
    private volatile java.util.function.Consumer<dev.tailor.catalog.Arch> toolCheck = arch -> { };

    /** @param check throws a {@code TailorException} when the architecture's tools are missing here */
    public void checkToolsWith(java.util.function.Consumer<dev.tailor.catalog.Arch> check) {
        this.toolCheck = check;
    }

    /** True when the target's architecture can be built in this flavor (wasm32 has no Linux executable). */
    public boolean supports(Target target, Flavor flavor) {
        return toolchains.find(target.arch(), flavor).isPresent();
    }

    private String computeToolchainId(Target target, Flavor flavor) {
        MessageDigest md = Digests.sha256();
        Digests.update(md, "tailor-toolchain-v1");
        Digests.update(md, toolVersions());
        Digests.update(md, sources().digest());
        Digests.update(md, JSON.writeValueAsString(toolchains.forArch(target.arch(), flavor).buildInputs()));
        // Of the catalog entry, only what reaches the image: a reworded description or another test CPU model
        // must not rename every image built for the target.
        Digests.update(md, JSON.writeValueAsString(List.of(target.id(), target.arch().id(), target.cflags())));
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /**
     * The CPU probe (see {@code compiler-workers/probe/probe.c}) as a request: build it for an architecture's
     * baseline target and its console prints {@code tailor-cpu: <arch>:<feature>,...}.
     */
    public CompileRequest probeRequest(String buildKey) {
        return new CompileRequest(sources().probe(), List.of("probe.c"), List.of(), java.util.Map.of(),
                Optimize.SIZE, 64 * 1024, "probe", buildKey);
    }

    public CompileResult compile(CompileRequest request, Target target, Path workDir) {
        return compile(request, target, Flavor.IMAGE, workDir, runner);
    }

    public CompileResult compile(CompileRequest request, Target target, Flavor flavor, Path workDir) {
        return compile(request, target, flavor, workDir, runner);
    }

    /**
     * Like {@link #compile(CompileRequest, Target, Path)}, but every command that reads the request's sources or
     * writes into the work directory runs through {@code bundleRunner} (a sandbox for hostile bundles). The
     * runtime, which is Tailor's own code compiled once into the shared cache, still goes through this compiler's
     * runner: a sandbox for one bundle must not be able to write the cache every later build links.
     */
    public CompileResult compile(CompileRequest request, Target target, Flavor flavor, Path workDir,
                                 CommandRunner bundleRunner) {
        long start = System.nanoTime();
        Toolchain tc = toolchains.forArch(target.arch(), flavor);
        RuntimeSources rt = sources();
        Path work = workDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(work.resolve("obj"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + work, e);
        }

        // The runtime (usually cached), the per-build unit and the app's sources all compile at once.
        CompletableFuture<RuntimeObjects> runtime = runtime(tc, target, flavor, rt);
        List<String> appFlags = appFlags(tc, target, request);
        List<Unit> units = new ArrayList<>(perBuildUnits(request, target, tc, rt, work));
        units.addAll(appUnits(request, appFlags, tc, rt, work));
        List<Step> steps = runAll(bundleRunner, units);

        StringBuilder log = new StringBuilder();
        String diagnostics = transcribe(units, steps, log);
        RuntimeObjects rto;
        try {
            rto = join(runtime);
        } catch (CompileFailedException e) {
            throw new CompileFailedException(e.getMessage(), e.diagnostics(), e.log() + log);
        }
        log.insert(0, rto.log());
        if (!diagnostics.isEmpty()) {
            throw new CompileFailedException("compilation failed", diagnostics, log.toString());
        }
        Duration compileTime = Duration.ofNanos(System.nanoTime() - start);

        long linkStart = System.nanoTime();
        link(tc, rt, rto, units, work, bundleRunner, log);
        Duration linkTime = Duration.ofNanos(System.nanoTime() - linkStart);
        return new CompileResult(work.resolve(tc.output()), log.toString(), appFlags, toolchainId(target, flavor),
                rto.cached(), rto.time(), compileTime, linkTime);
    }

    /** Appends each compile's transcript to {@code log}; the diagnostics of those that failed, empty if none did. */
    private static String transcribe(List<Unit> units, List<Step> steps, StringBuilder log) {
        StringBuilder diagnostics = new StringBuilder();
        for (int i = 0; i < units.size(); i++) {
            Step s = steps.get(i);
            log.append(s.transcript());
            if (!s.result().succeeded()) {
                diagnostics.append(s.result().stderr());
                if (s.result().timedOut()) {
                    diagnostics.append(units.get(i).object()).append(": the compiler timed out\n");
                }
            }
        }
        return diagnostics.toString();
    }

    /** Links the runtime's objects and this build's into {@code tc.output()} in the work directory. */
    private static void link(Toolchain tc, RuntimeSources rt, RuntimeObjects rto, List<Unit> units, Path work,
                             CommandRunner bundleRunner, StringBuilder log) {
        List<String> link = new ArrayList<>(List.of(tc.linker()));
        link.addAll(tc.ldflags());
        if (tc.linkerScript() != null) {
            link.addAll(List.of("-T", rt.root().resolve(tc.linkerScript()).toString()));
        }
        link.addAll(List.of("-o", tc.output()));
        rto.objects().forEach(o -> link.add(o.toString()));
        units.forEach(u -> link.add(u.object()));
        Step linked = new Step(List.copyOf(link), bundleRunner.run(link, work, COMMAND_TIMEOUT));
        log.append(linked.transcript());
        if (!linked.result().succeeded()) {
            throw new CompileFailedException("link failed", linked.result().stderr() + linked.result().stdout(),
                    log.toString());
        }
    }

    /** One compile of this build: the object it writes (relative to the work directory), its command and directory. */
    private record Unit(String object, List<String> argv, Path cwd) {
    }

    /**
     * Runs the compiles side by side, at most {@link #parallel} at once. This thread starts them all (no hand-over
     * to a pool thread, which on a busy machine can wait milliseconds for a core) and waits for each in turn.
     */
    private List<Step> runAll(CommandRunner with, List<Unit> units) {
        int first = Math.min(parallel, units.size());
        List<CommandRunner.Running> running = new ArrayList<>(with.startAll(units.subList(0, first).stream()
                .map(u -> new CommandRunner.Command(u.argv(), u.cwd())).toList(), COMMAND_TIMEOUT));
        Step[] steps = new Step[units.size()];
        try {
            for (int i = 0; i < units.size(); i++) {
                steps[i] = new Step(units.get(i).argv(), running.get(i).await());
                if (i + parallel < units.size()) { // a slot is free: the next compile
                    Unit next = units.get(i + parallel);
                    running.add(with.start(next.argv(), next.cwd(), COMMAND_TIMEOUT));
                }
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < running.size(); i++) {
                if (steps[i] == null) {
                    running.get(i).cancel();
                }
            }
            throw e;
        }
        return List.of(steps);
    }

    /** The app's sources, from their root with relative paths, so nothing about the host directory leaks. */
    private List<Unit> appUnits(CompileRequest request, List<String> appFlags, Toolchain tc, RuntimeSources rt,
                                Path work) {
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < request.sources().size(); i++) {
            String src = request.sources().get(i);
            String obj = "obj/" + String.format(Locale.ROOT, "%03d-", i) + objectName(src);
            List<String> argv = new ArrayList<>(List.of("clang"));
            argv.addAll(appFlags);
            argv.add("-I" + rt.root().resolve(tc.includeDir()));
            argv.add("-ffile-prefix-map=" + request.sourceRoot() + "=.");
            argv.add("-ffile-prefix-map=" + rt.root() + "=" + RUNTIME_PREFIX);
            argv.addAll(List.of("-c", src, "-o", work.resolve(obj).toString()));
            units.add(new Unit(obj, List.copyOf(argv), request.sourceRoot()));
        }
        return units;
    }

    /** The runtime unit that carries this build's banner values and heap size. */
    private List<Unit> perBuildUnits(CompileRequest request, Target target, Toolchain tc, RuntimeSources rt,
                                     Path work) {
        List<Unit> units = new ArrayList<>();
        for (String src : tc.perBuildSources()) {
            String obj = "obj/tailor-" + objectName(src);
            List<String> argv = runtimeCompile(tc, tc.plainCflags(), rt);
            argv.add("-DTAILOR_TARGET_ID=\"" + target.id() + "\"");
            argv.add("-DTAILOR_BUILD_KEY=\"" + request.buildKey() + "\"");
            argv.add("-DTAILOR_APP_NAME=\"" + request.appName() + "\"");
            argv.add("-DTAILOR_HEAP_SIZE=" + request.heapBytes());
            argv.addAll(List.of("-c", src, "-o", work.resolve(obj).toString()));
            units.add(new Unit(obj, List.copyOf(argv), rt.root()));
        }
        return units;
    }

    /** The flags the app's sources are compiled with: toolchain base, then the target's, then the manifest's. */
    private static List<String> appFlags(Toolchain tc, Target target, CompileRequest request) {
        List<String> flags = new ArrayList<>();
        flags.add("--target=" + tc.triple());
        flags.addAll(tc.cflags());
        flags.addAll(target.cflags());
        flags.add(request.optimize().flag());
        flags.add("-Wall");
        request.includeDirs().forEach(d -> flags.add("-I" + d));
        request.defines().forEach((k, v) -> flags.add("-D" + k + "=" + v));
        return flags;
    }

    /** src/net/http.c -> http.o; callers prefix an index where two sources could share a name. */
    private static String objectName(String source) {
        return source.replaceAll(".*/", "").replaceAll("\\.[cS]$", "") + ".o";
    }

    private static List<String> runtimeCompile(Toolchain tc, List<String> isaFlags, RuntimeSources rt) {
        List<String> argv = new ArrayList<>(List.of("clang", "--target=" + tc.triple()));
        argv.addAll(tc.cflags());
        argv.addAll(tc.runtimeCflags());
        argv.addAll(isaFlags);
        argv.add("-I" + tc.includeDir());
        argv.add("-ffile-prefix-map=" + rt.root() + "=" + RUNTIME_PREFIX);
        return argv;
    }

    /** The runtime's objects for this target, compiled at most once per process and once per cache directory. */
    private CompletableFuture<RuntimeObjects> runtime(Toolchain tc, Target target, Flavor flavor, RuntimeSources rt) {
        String id = toolchainId(target, flavor).substring("sha256:".length());
        Path dir = cacheDir.resolve("runtime").resolve(target.id() + "-" + flavor.id() + "-" + id.substring(0, 32));
        List<RuntimeUnit> units = runtimeUnits(tc);
        List<Path> objects = units.stream().map(u -> dir.resolve(u.object())).toList();
        RuntimeObjects cached = new RuntimeObjects(objects, true, Duration.ZERO,
                "# runtime for " + target.id() + ": cached in " + dir + "\n");
        CompletableFuture<RuntimeObjects> existing = runtimes.get(dir.toString());
        if (existing != null && existing.isDone() && !existing.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(cached);
        }
        return runtimes.compute(dir.toString(), (key, prev) -> {
            if (prev != null && !prev.isCompletedExceptionally()) {
                return prev; // still compiling for another build: share it
            }
            if (Files.isDirectory(dir)) {
                return CompletableFuture.completedFuture(cached);
            }
            return compileRuntime(tc, target, rt, units, dir, objects);
        });
    }

    /** One runtime source, whether it gets the target's flags, and its object's name in the cache entry. */
    private record RuntimeUnit(String source, boolean tuned, String object) {
    }

    /** Plain sources first, then tuned ones, numbered so that two sources never share an object name. */
    private static List<RuntimeUnit> runtimeUnits(Toolchain tc) {
        List<RuntimeUnit> units = new ArrayList<>();
        for (String s : tc.plainSources()) {
            units.add(new RuntimeUnit(s, false, String.format(Locale.ROOT, "%02d-", units.size()) + objectName(s)));
        }
        for (String s : tc.tunedSources()) {
            units.add(new RuntimeUnit(s, true, String.format(Locale.ROOT, "%02d-", units.size()) + objectName(s)));
        }
        return units;
    }

    /** Compiles the runtime into a fresh directory beside {@code dir}, then publishes it as {@code dir}. */
    private CompletableFuture<RuntimeObjects> compileRuntime(Toolchain tc, Target target, RuntimeSources rt,
                                                             List<RuntimeUnit> units, Path dir, List<Path> objects) {
        long start = System.nanoTime();
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + tmp, e);
        }
        List<CompletableFuture<Step>> steps = new ArrayList<>();
        for (RuntimeUnit u : units) {
            List<String> argv = runtimeCompile(tc, u.tuned() ? target.cflags() : tc.plainCflags(), rt);
            argv.addAll(List.of("-c", u.source(), "-o", tmp.resolve(u.object()).toString()));
            steps.add(run(runner, argv, rt.root()));
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            StringBuilder log = new StringBuilder();
            StringBuilder diagnostics = new StringBuilder();
            for (CompletableFuture<Step> s : steps) {
                Step step = s.join();
                log.append(step.transcript());
                if (!step.result().succeeded()) {
                    diagnostics.append(step.result().stderr());
                }
            }
            if (diagnostics.length() > 0) {
                Directories.delete(tmp);
                throw new CompileFailedException("the runtime failed to compile for " + target.id(),
                        diagnostics.toString(), log.toString());
            }
            publish(tmp, dir);
            return new RuntimeObjects(objects, false, Duration.ofNanos(System.nanoTime() - start),
                    "# runtime for " + target.id() + ": compiled into " + dir + "\n" + log);
        });
    }

    /** Makes a finished cache entry visible all at once; if another process got there first, its copy is equal. */
    private static void publish(Path tmp, Path dir) {
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            Directories.delete(tmp);
        } catch (IOException e) {
            Directories.delete(tmp);
            if (!Files.isDirectory(dir)) {
                throw new UncheckedIOException("cannot publish the runtime cache " + dir, e);
            }
        }
    }

    /** Waits for a step, rethrowing what failed in it (a missing compiler, a failed runtime) as itself. */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private CompletableFuture<Step> run(CommandRunner with, List<String> argv, Path cwd) {
        List<String> copy = List.copyOf(argv);
        return CompletableFuture.supplyAsync(() -> new Step(copy, with.run(copy, cwd, COMMAND_TIMEOUT)), executor);
    }

    private RuntimeSources sources() {
        RuntimeSources s = sources;
        if (s == null) {
            synchronized (this) {
                if (sources == null) {
                    sources = RuntimeSources.extract(cacheDir);
                }
                s = sources;
            }
        }
        return s;
    }

    private String toolVersions() {
        String v = toolVersions;
        if (v == null) {
            synchronized (this) {
                if (toolVersions == null) {
                    Path cwd = cacheDir;
                    try {
                        Files.createDirectories(cwd);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    CommandRunner.Result clang = runner.run(List.of("clang", "--version"), cwd, COMMAND_TIMEOUT);
                    CommandRunner.Result lld = runner.run(List.of("ld.lld", "--version"), cwd, COMMAND_TIMEOUT);
                    if (!clang.succeeded() || !lld.succeeded()) {
                        throw new IllegalStateException("clang or ld.lld is missing: run compiler-workers/install-toolchains.sh");
                    }
                    toolVersions = clang.stdout().strip() + "\n" + lld.stdout().strip();
                }
                v = toolVersions;
            }
        }
        return v;
    }
}
