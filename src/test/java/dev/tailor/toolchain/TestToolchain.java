package dev.tailor.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the toolchain tests share: one compiler with one runtime cache for the whole test run (so each runtime
 * is compiled once), the catalog, QEMU, and requests made from the example bundles' manifests.
 */
final class TestToolchain {

    static final Path CACHE = Path.of("target", "tailor-test-cache").toAbsolutePath();
    static final ImageCompiler COMPILER = ImageCompiler.local(CACHE);
    static final TargetCatalog CATALOG = TargetCatalog.load();
    static final Qemu QEMU = new Qemu(COMPILER.toolchains(), new LocalCommandRunner());
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(20);

    private TestToolchain() {
    }

    static Target target(String id) {
        return CATALOG.find(id).orElseThrow();
    }

    static Path examples() {
        return Path.of("examples").toAbsolutePath();
    }

    /** A request as the bundle code would make it from {@code tailor.yaml}: only the fields the tests need. */
    static CompileRequest example(Path bundle, String buildKey) {
        try {
            JsonNode m = YAMLMapper.builder().build().readTree(bundle.resolve("tailor.yaml").toFile());
            List<String> sources = new ArrayList<>();
            for (JsonNode glob : m.get("sources")) {
                PathMatcher pm = FileSystems.getDefault().getPathMatcher("glob:" + glob.asString());
                try (Stream<Path> walk = Files.walk(bundle)) {
                    walk.filter(Files::isRegularFile).map(p -> bundle.relativize(p))
                            .filter(pm::matches).forEach(p -> sources.add(p.toString()));
                }
            }
            List<String> include = new ArrayList<>();
            if (m.has("include")) {
                m.get("include").forEach(n -> include.add(n.asString()));
            }
            Map<String, String> defines = new LinkedHashMap<>();
            if (m.has("defines")) {
                m.get("defines").properties().forEach(e -> defines.put(e.getKey(), e.getValue().asString()));
            }
            Optimize optimize = m.has("optimize") ? Optimize.parse(m.get("optimize").asString()) : Optimize.SPEED;
            long heap = m.has("heap") ? parseSize(m.get("heap").asString()) : CompileRequest.DEFAULT_HEAP;
            return new CompileRequest(bundle, sources, include, defines, optimize, heap, m.get("name").asString(),
                    buildKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompileRequest example(String name) {
        return example(examples().resolve(name), "test-" + name);
    }

    static long parseSize(String s) {
        String t = s.trim().toUpperCase();
        long unit = t.endsWith("K") ? 1024 : t.endsWith("M") ? 1024 * 1024 : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    static Path workDir(String name) {
        try {
            Files.createDirectories(CACHE.resolve("work"));
            return Files.createTempDirectory(CACHE.resolve("work"), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompileResult build(CompileRequest request, Target target) {
        return COMPILER.compile(request, target, workDir(request.appName() + "-" + target.id()));
    }

    static Qemu.Boot boot(Target target, String cpu, Path image) {
        return QEMU.boot(target.arch(), cpu, image, BOOT_TIMEOUT);
    }

    /** A one-file bundle written from a string, for runtime behaviour the examples do not show. */
    static Path bundle(String name, String source) {
        try {
            Files.createDirectories(CACHE);
            Path dir = Files.createTempDirectory(CACHE, name + "-");
            Files.createDirectories(dir.resolve("src"));
            Files.writeString(dir.resolve("src/" + name + ".c"), source);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request for a one-file app written from a string, with -D values. */
    static CompileRequest single(String name, String source, Map<String, String> defines) {
        return new CompileRequest(bundle(name, source), List.of("src/" + name + ".c"), List.of(), defines,
                Optimize.SPEED, 64 * 1024, name, "test-" + name);
    }

    static String disassemble(Path image, String... extra) {
        List<String> argv = new ArrayList<>(List.of("llvm-objdump", "-d", "--no-show-raw-insn"));
        argv.addAll(List.of(extra));
        argv.add(image.toString());
        CommandRunner.Result r = new LocalCommandRunner().run(argv, image.getParent(), Duration.ofSeconds(30));
        if (!r.succeeded()) {
            throw new IllegalStateException("llvm-objdump failed: " + r.stderr());
        }
        return r.stdout();
    }
}
