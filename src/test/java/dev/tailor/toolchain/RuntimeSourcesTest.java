package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeSourcesTest {

    @TempDir
    Path tmp;

    @Test
    void extract_fromAJar_givesTheSameFilesAndDigestAsFromADirectory() throws IOException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path jar = tmp.resolve("app.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> walk = Files.walk(classes.resolve("compiler-workers"))) {
            // like maven-jar-plugin, with directory entries: classpath* pattern lookups need them
            for (Path p : walk.sorted().toList()) {
                boolean dir = Files.isDirectory(p);
                j.putNextEntry(new JarEntry("BOOT-INF/classes/" + classes.relativize(p) + (dir ? "/" : "")));
                if (!dir) {
                    j.write(Files.readAllBytes(p));
                }
                j.closeEntry();
            }
        }
        RuntimeSources fromDir = RuntimeSources.extract(tmp.resolve("cache-a"));
        RuntimeSources fromJar;
        URL root = new URL("jar:" + jar.toUri() + "!/BOOT-INF/classes/");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root}, ClassLoader.getPlatformClassLoader())) {
            fromJar = RuntimeSources.extract(tmp.resolve("cache-b"), loader);
        }

        assertThat(fromJar.digest()).isEqualTo(fromDir.digest());
        assertThat(fromJar.root().resolve("runtime/include/tailor.h")).hasSameBinaryContentAs(
                fromDir.root().resolve("runtime/include/tailor.h"));
        assertThat(fromJar.probe().resolve("probe.c")).exists();
    }

    @Test
    void extract_twice_reusesTheDirectory() {
        RuntimeSources one = RuntimeSources.extract(tmp);
        RuntimeSources two = RuntimeSources.extract(tmp);
        assertThat(two.root()).isEqualTo(one.root());
        assertThat(one.digest()).matches("[0-9a-f]{64}");
    }
}
