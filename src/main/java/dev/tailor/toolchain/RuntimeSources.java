package dev.tailor.toolchain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import dev.tailor.store.Directories;

/**
 * The runtime's C and assembly sources (and the CPU probe app), copied out of the classpath (a directory in the
 * IDE, the fat jar in production) into a directory clang can read, named by the digest of their contents so that
 * two versions never mix and an unchanged runtime is extracted only once.
 *
 * @param root   the extracted {@code compiler-workers} directory: toolchain paths resolve against it
 * @param digest sha256 (hex) over every runtime file's relative path and bytes, in path order (the probe is not
 *               part of it: a probe fix must not rename every image)
 */
public record RuntimeSources(Path root, String digest) {

    private static final String PREFIX = "compiler-workers/";
    private static final List<String> DIRS = List.of("runtime", "probe");

    /** The probe app's directory, relative to {@link #root()}. */
    public Path probe() {
        return root.resolve("probe");
    }

    /** Extracts (once) the runtime sources into {@code cacheDir/sources/<digest>/compiler-workers}. */
    public static RuntimeSources extract(Path cacheDir) {
        return extract(cacheDir, RuntimeSources.class.getClassLoader());
    }

    static RuntimeSources extract(Path cacheDir, ClassLoader loader) {
        Map<String, byte[]> files = read(loader);
        String digest = digest(new TreeMap<>(files.entrySet().stream().filter(e -> e.getKey().startsWith("runtime/"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        Path dir = cacheDir.resolve("sources").resolve(digest(files));
        Path root = dir.resolve("compiler-workers");
        if (Files.isDirectory(root)) {
            return new RuntimeSources(root, digest);
        }
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = dir.resolveSibling(digest + ".tmp-" + UUID.randomUUID());
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = tmp.resolve("compiler-workers").resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another process extracted the same digest first: its copy is identical
                Directories.delete(tmp);
            } catch (IOException e) {
                if (!Files.isDirectory(root)) {
                    throw e;
                }
                Directories.delete(tmp);
            }
            return new RuntimeSources(root, digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the runtime into " + dir, e);
        }
    }

    /** The files under compiler-workers/runtime and compiler-workers/probe, by path relative to compiler-workers. */
    static Map<String, byte[]> read(ClassLoader loader) {
        Map<String, byte[]> files = new TreeMap<>();
        try {
            PathMatchingResourcePatternResolver resolver =
                    new PathMatchingResourcePatternResolver(loader);
            List<Resource> resources = new ArrayList<>();
            for (String dir : DIRS) {
                resources.addAll(List.of(resolver.getResources("classpath*:" + PREFIX + dir + "/**")));
            }
            for (Resource r : resources) {
                if (!r.isReadable()) {
                    continue; // a directory
                }
                String url = r.getURL().toString();
                int at = url.lastIndexOf(PREFIX);
                String rel = url.substring(at + PREFIX.length());
                if (rel.isEmpty() || rel.endsWith("/")) {
                    continue;
                }
                try (InputStream in = r.getInputStream()) {
                    // the first classpath entry wins, as it does for getResource
                    files.putIfAbsent(rel, in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime from the classpath", e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no runtime sources under classpath:" + PREFIX + "runtime/");
        }
        return files;
    }

    static String digest(Map<String, byte[]> files) {
        MessageDigest md = Digests.sha256();
        files.forEach((path, bytes) -> {
            Digests.update(md, path);
            Digests.update(md, Long.toString(bytes.length));
            md.update(bytes);
        });
        return HexFormat.of().formatHex(md.digest());
    }
}
