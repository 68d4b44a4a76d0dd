package dev.tailor.toolchain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tailor.target.Arch;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The per-architecture toolchain descriptions, read from {@code compiler-workers/toolchains.json}. */
public final class Toolchains {

    public static final String RESOURCE = "compiler-workers/toolchains.json";

    private final Map<Arch, Toolchain> byArch;

    record Shared(List<String> cflags, List<String> runtimeCflags, String includeDir, List<String> ldflags,
                  List<String> plainSources, List<String> tunedSources, List<String> perBuildSources) {
    }

    record Qemu(String binary, List<String> args, String exit) {
    }

    record ArchEntry(String triple, List<String> cflags, List<String> plainCflags, String linkerScript,
                     List<String> ldflags, List<String> plainSources, List<String> tunedSources, Qemu qemu) {
    }

    record File(Shared shared, Map<String, ArchEntry> archs) {
    }

    public Toolchains(Map<Arch, Toolchain> byArch) {
        this.byArch = Map.copyOf(byArch);
    }

    public static Toolchains load() {
        try (InputStream in = Toolchains.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Toolchains parse(InputStream in) {
        File file = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build().readValue(in, File.class);
        Shared s = file.shared();
        Map<Arch, Toolchain> map = new EnumMap<>(Arch.class);
        file.archs().forEach((name, e) -> {
            Arch arch = Arch.parse(name).orElseThrow(() -> new IllegalArgumentException("bad arch " + name));
            Toolchain.ExitDevice exit = Toolchain.ExitDevice.valueOf(
                    e.qemu().exit().replace('-', '_').toUpperCase(Locale.ROOT));
            map.put(arch, new Toolchain(arch, e.triple(), concat(s.cflags(), e.cflags()), e.plainCflags(),
                    s.runtimeCflags(), s.includeDir(), e.linkerScript(), concat(s.ldflags(), e.ldflags()),
                    concat(s.plainSources(), e.plainSources()), concat(s.tunedSources(), e.tunedSources()),
                    s.perBuildSources(), new Toolchain.QemuMachine(e.qemu().binary(), e.qemu().args(), exit)));
        });
        return new Toolchains(map);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a == null ? List.of() : a);
        all.addAll(b == null ? List.of() : b);
        return all;
    }

    public Toolchain forArch(Arch arch) {
        Toolchain t = byArch.get(arch);
        if (t == null) {
            throw new IllegalArgumentException("no toolchain for " + arch);
        }
        return t;
    }
}
