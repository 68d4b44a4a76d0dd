package dev.tailor.toolchain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.tailor.catalog.Arch;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The per-architecture, per-flavor toolchain descriptions, read from {@code compiler-workers/toolchains.json}. */
public final class Toolchains {

    public static final String RESOURCE = "compiler-workers/toolchains.json";
    private static final String DEFAULT_LINKER = "ld.lld";

    private final Map<Arch, Map<Flavor, Toolchain>> byArch;

    record Shared(List<String> cflags, List<String> runtimeCflags, String includeDir, Map<String, List<String>> ldflags,
                  List<String> plainSources, List<String> tunedSources, List<String> perBuildSources) {
    }

    record Qemu(String binary, List<String> args, String exit) {
    }

    /** One architecture's entry of a flavor; a flavor's shared part has the same shape, with only some fields. */
    record Entry(String triple, String backend, String linker, String output, List<String> cflags,
                 List<String> plainCflags, String linkerScript, List<String> ldflags, List<String> plainSources, List<String> tunedSources,
                 Qemu qemu) {
    }

    record FlavorSection(Entry shared, Map<String, Entry> archs) {
    }

    record File(Shared shared, Map<String, Entry> archs, FlavorSection linux) {
    }

    public Toolchains(Map<Arch, Map<Flavor, Toolchain>> byArch) {
        Map<Arch, Map<Flavor, Toolchain>> copy = new EnumMap<>(Arch.class);
        byArch.forEach((a, m) -> copy.put(a, Map.copyOf(m)));
        this.byArch = Map.copyOf(copy);
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
        Map<Arch, Map<Flavor, Toolchain>> map = new EnumMap<>(Arch.class);
        Entry none = new Entry(null, null, null, null, null, null, null, null, null, null, null);
        file.archs().forEach((name, e) -> map.computeIfAbsent(arch(name), a -> new EnumMap<>(Flavor.class))
                .put(Flavor.IMAGE, toolchain(arch(name), Flavor.IMAGE, file.shared(), none, e, e.backend())));
        if (file.linux() != null) {
            Entry flavorShared = file.linux().shared() == null ? none : file.linux().shared();
            // the backend is the architecture's: the image entry names it for every flavor
            file.linux().archs().forEach((name, e) -> map.computeIfAbsent(arch(name), a -> new EnumMap<>(Flavor.class))
                    .put(Flavor.LINUX, toolchain(arch(name), Flavor.LINUX, file.shared(), flavorShared, e,
                            file.archs().getOrDefault(name, none).backend())));
        }
        return new Toolchains(map);
    }

    private static Arch arch(String name) {
        return Arch.parse(name).orElseThrow(() -> new IllegalArgumentException("bad arch " + name));
    }

    /** Merges shared, then the flavor's shared part, then the entry's own. */
    private static Toolchain toolchain(Arch arch, Flavor flavor, Shared s, Entry f, Entry e, String backend) {
        String linker = e.linker() != null ? e.linker() : DEFAULT_LINKER;
        List<String> linkerFlags = s.ldflags() == null ? List.of() : s.ldflags().getOrDefault(linker, List.of());
        Toolchain.QemuMachine qemu = e.qemu() == null ? null : new Toolchain.QemuMachine(e.qemu().binary(),
                e.qemu().args(), Toolchain.ExitDevice.valueOf(e.qemu().exit().replace('-', '_').toUpperCase(Locale.ROOT)));
        return new Toolchain(arch, flavor, e.triple(), backend, concat(s.cflags(), f.cflags(), e.cflags()), e.plainCflags(),
                s.runtimeCflags(), s.includeDir(), linker, e.linkerScript(),
                e.output() != null ? e.output() : "image.elf",
                concat(linkerFlags, f.ldflags(), e.ldflags()),
                concat(s.plainSources(), f.plainSources(), e.plainSources()),
                concat(s.tunedSources(), f.tunedSources(), e.tunedSources()), s.perBuildSources(), qemu);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            if (p != null) {
                all.addAll(p);
            }
        }
        return all;
    }

    /** The image flavor's toolchain of an architecture. */
    public Toolchain forArch(Arch arch) {
        return forArch(arch, Flavor.IMAGE);
    }

    public Toolchain forArch(Arch arch, Flavor flavor) {
        return find(arch, flavor).orElseThrow(() -> new IllegalArgumentException("no " + flavor + " toolchain for " + arch));
    }

    /** How each architecture's images boot, as the catalog shows it. */
    public dev.tailor.catalog.BootMachines bootMachines() {
        Map<Arch, dev.tailor.catalog.BootMachines.Machine> machines = new EnumMap<>(Arch.class);
        byArch.forEach((arch, flavors) -> {
            Toolchain t = flavors.get(Flavor.IMAGE);
            if (t != null && t.qemu() != null) {
                List<String> args = t.qemu().args();
                int m = args.indexOf("-M");
                machines.put(arch, new dev.tailor.catalog.BootMachines.Machine(t.qemu().binary(),
                        m >= 0 && m + 1 < args.size() ? args.get(m + 1) : null, args,
                        t.qemu().exit().name().toLowerCase(Locale.ROOT).replace('_', '-')));
            }
        });
        return dev.tailor.catalog.BootMachines.of(machines);
    }

    /** Empty where the architecture has no such flavor (wasm32 has no Linux executable). */
    public Optional<Toolchain> find(Arch arch, Flavor flavor) {
        return Optional.ofNullable(byArch.getOrDefault(arch, Map.of()).get(flavor.toolchainFlavor()));
    }
}
