package dev.tailor.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import tools.jackson.databind.json.JsonMapper;

/**
 * The target catalog, read from {@code compiler-workers/targets.json} (packaged on the classpath). The file lists
 * per rung only the features it adds to its parent; the catalog resolves the complete requirement sets.
 */
public final class TargetCatalog {

    public static final String RESOURCE = "compiler-workers/targets.json";

    private final Map<String, Target> byId;

    record Entry(String id, String arch, String parent, String kind, List<String> adds, List<String> cflags,
                 String description, Target.Qemu qemu) {
    }

    record File(List<Entry> targets) {
    }

    public TargetCatalog(Collection<Target> targets) {
        Map<String, Target> map = new LinkedHashMap<>();
        for (Target t : targets) {
            if (map.put(t.id(), t) != null) {
                throw new IllegalArgumentException("duplicate target " + t.id());
            }
        }
        for (Target t : map.values()) {
            if (t.parent() != null) {
                Target p = map.get(t.parent());
                if (p == null || p.arch() != t.arch() || !t.features().containsAll(p.features())) {
                    throw new IllegalArgumentException("target " + t.id() + " has a bad parent " + t.parent());
                }
            }
        }
        this.byId = Map.copyOf(map);
        this.ordered = List.copyOf(map.values());
    }

    private final List<Target> ordered;

    public static TargetCatalog load() {
        try (InputStream in = TargetCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TargetCatalog parse(InputStream in) {
        File file = JsonMapper.builder().build().readValue(in, File.class);
        Map<String, Target> resolved = new LinkedHashMap<>();
        for (Entry e : file.targets()) {
            TreeSet<String> features = new TreeSet<>(e.adds() == null ? List.of() : e.adds());
            if (e.parent() != null) {
                Target parent = resolved.get(e.parent());
                if (parent == null) {
                    throw new IllegalArgumentException("target " + e.id() + " names parent " + e.parent()
                            + " which is not listed before it");
                }
                features.addAll(parent.features());
            }
            Arch arch = Arch.parse(e.arch()).orElseThrow(() -> new IllegalArgumentException("bad arch " + e.arch()));
            Target.Kind kind = Target.Kind.valueOf(e.kind().toUpperCase(Locale.ROOT));
            resolved.put(e.id(), new Target(e.id(), arch, e.parent(), kind, features, e.cflags(), e.description(),
                    e.qemu()));
        }
        return new TargetCatalog(new ArrayList<>(resolved.values()));
    }

    public Optional<Target> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** Every target, in catalog order (per architecture, baseline first). */
    public List<Target> all() {
        return ordered;
    }

    public List<Target> forArch(Arch arch) {
        return ordered.stream().filter(t -> t.arch() == arch).toList();
    }

    /**
     * Every feature some target of the architecture requires: the only features that can change which target a
     * device is given (a fingerprint reduced to these resolves as the whole one does).
     */
    public java.util.SortedSet<String> usableFeatures(Arch arch) {
        java.util.SortedSet<String> all = new java.util.TreeSet<>();
        forArch(arch).forEach(t -> all.addAll(t.features()));
        return java.util.Collections.unmodifiableSortedSet(all);
    }

    /** The rung every device of the architecture can run: the first level target without a parent. */
    public Target baseline(Arch arch) {
        return ordered.stream().filter(t -> t.arch() == arch && t.parent() == null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no baseline for " + arch));
    }
}
