package dev.tailor.toolchain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.tailor.catalog.Target;
import dev.tailor.catalog.TargetCatalog;

/**
 * Builds one image from the command line, without the service: for operators checking a worker's toolchain and
 * for debugging a bundle. From the fat jar:
 * {@code java -cp tailor.jar -Dloader.main=dev.tailor.toolchain.CompileCommand
 * org.springframework.boot.loader.launch.PropertiesLauncher --target x86_64-v3 --root DIR [--cache DIR]
 * [--out FILE] [--boot CPU] src/a.c ...}
 */
public final class CompileCommand {

    private CompileCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                opts.put(args[i].substring(2), args[++i]);
            } else {
                sources.add(args[i]);
            }
        }
        if (!opts.containsKey("target") || !opts.containsKey("root") || sources.isEmpty()) {
            System.err.println("usage: CompileCommand --target ID --root DIR [--cache DIR] [--out FILE] [--boot CPU] SOURCES...");
            System.exit(2);
        }
        Target target = TargetCatalog.load().find(opts.get("target"))
                .orElseThrow(() -> new IllegalArgumentException("unknown target " + opts.get("target")));
        Path cache = Path.of(opts.getOrDefault("cache", "cache/toolchains"));
        ImageCompiler compiler = ImageCompiler.local(cache);
        CompileRequest request = new CompileRequest(Path.of(opts.get("root")), sources, List.of(), Map.of(),
                Optimize.SPEED, CompileRequest.DEFAULT_HEAP, opts.getOrDefault("app", "app"),
                opts.getOrDefault("key", "cli"));
        Path work = Files.createTempDirectory("tailor-compile");
        CompileResult result;
        try {
            result = compiler.compile(request, target, work);
        } catch (CompileFailedException e) {
            System.err.print(e.diagnostics());
            System.exit(1);
            return;
        }
        Path out = Path.of(opts.getOrDefault("out", "image.elf"));
        Files.copy(result.image(), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("%s: %d bytes, toolchain %s, runtime %s, %d ms%n", out, Files.size(out),
                result.toolchainId(), result.runtimeCached() ? "cached" : "compiled", result.total().toMillis());
        if (opts.containsKey("boot")) {
            Qemu.Boot boot = new Qemu(compiler.toolchains(), new LocalCommandRunner())
                    .boot(target.arch(), opts.get("boot"), out, java.time.Duration.ofSeconds(30));
            System.out.print(boot.console());
            System.exit(boot.exitCode() < 0 ? 125 : boot.exitCode());
        }
    }
}
