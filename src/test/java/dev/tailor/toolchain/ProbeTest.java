package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;

/** The probe boots on several CPU models per architecture and reports what each really has. */
class ProbeTest {

    static final Pattern LINE = Pattern.compile("(?m)^tailor-cpu: ([a-z0-9_]+):([a-z0-9_,]*)$");
    static final Map<Arch, Path> images = new EnumMap<>(Arch.class);
    static final Map<String, Set<String>> probed = new ConcurrentHashMap<>();

    @BeforeAll
    static void build() {
        for (Arch arch : java.util.EnumSet.complementOf(java.util.EnumSet.of(Arch.WASM32))) { // no probe for modules
            Target baseline = TestToolchain.CATALOG.baseline(arch);
            images.put(arch, TestToolchain.build(TestToolchain.COMPILER.probeRequest("probe-test"), baseline).image());
        }
    }

    static Set<String> probe(Arch arch, String model) {
        return probed.computeIfAbsent(arch + "/" + model, k -> {
            Qemu.Boot boot = TestToolchain.QEMU.boot(arch, model, images.get(arch), TestToolchain.BOOT_TIMEOUT);
            assertThat(boot.exitCode()).as(boot.console()).isZero();
            Matcher m = LINE.matcher(boot.console());
            assertThat(m.find()).as(boot.console()).isTrue();
            assertThat(m.group(1)).isEqualTo(arch.id());
            return Set.of(m.group(2).split(","));
        });
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(Arch.X86_64, "qemu64", Set.of("sse2", "cx16", "lahf_lm", "sse3"), Set.of("sse4_2", "popcnt", "avx", "avx2", "pni")),
                Arguments.of(Arch.X86_64, "Nehalem", Set.of("sse4_2", "popcnt", "ssse3"), Set.of("avx", "avx2")),
                Arguments.of(Arch.X86_64, "Haswell", Set.of("avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "xsave", "aes", "pclmulqdq"), Set.of("avx512f", "sha_ni")),
                Arguments.of(Arch.I686, "486", Set.of("fpu"), Set.of("cx8", "cmov", "mmx", "sse")),
                Arguments.of(Arch.I686, "pentium", Set.of("fpu", "cx8"), Set.of("cmov", "sse")),
                Arguments.of(Arch.I686, "pentium3", Set.of("fpu", "cmov", "cx8", "sse"), Set.of("sse2")),
                Arguments.of(Arch.I686, "qemu32", Set.of("sse2", "sse3"), Set.of("avx")),
                Arguments.of(Arch.I686, "Haswell", Set.of("avx2", "sse4_2"), Set.of("avx512f")),
                Arguments.of(Arch.AARCH64, "cortex-a53", Set.of("fp", "asimd", "aes", "pmull", "sha1", "sha2", "crc32"), Set.of("atomics", "asimddp", "lrcpc")),
                Arguments.of(Arch.AARCH64, "cortex-a76", Set.of("atomics", "asimdrdm", "fphp", "asimdhp", "asimddp", "lrcpc"), Set.of("sve")),
                Arguments.of(Arch.AARCH64, "max", Set.of("atomics", "sve", "sha3", "i8mm"), Set.of()),
                Arguments.of(Arch.ARMV7, "arm1176", Set.of("vfp", "tls", "half", "thumb", "edsp"), Set.of("vfpv3", "neon", "idiva", "vfpd32")),
                Arguments.of(Arch.ARMV7, "cortex-a7", Set.of("vfp", "vfpv3", "vfpv4", "neon", "idiva", "vfpd32"), Set.of("aes")),
                Arguments.of(Arch.ARMV7, "cortex-a15", Set.of("vfp", "vfpv3", "vfpv4", "neon", "idiva", "idivt", "lpae"), Set.of("aes", "crc32")),
                Arguments.of(Arch.ARMV7, "max", Set.of("neon", "vfpv4", "aes", "pmull", "sha2", "crc32"), Set.of()),
                // the oldest: a real RV64GC core (HiFive Unleashed), and QEMU's rv64 with bitmanip switched off
                Arguments.of(Arch.RISCV64, "sifive-u54", Set.of("i", "m", "a", "f", "d", "c", "zicsr", "zifencei"), Set.of("zba", "zbb", "zbs", "v")),
                Arguments.of(Arch.RISCV64, "rv64,zba=false,zbb=false,zbs=false", Set.of("i", "m", "a", "f", "d", "c"), Set.of("zba", "zbb", "zbs", "v")),
                // QEMU 7.2's rv64 has Zba/Zbb/Zbc/Zbs on by default, V off; the newest: V 1.0 switched on
                Arguments.of(Arch.RISCV64, "rv64", Set.of("i", "m", "a", "f", "d", "c", "zba", "zbb", "zbc", "zbs"), Set.of("v")),
                Arguments.of(Arch.RISCV64, "rv64,v=true,vlen=128", Set.of("i", "m", "a", "f", "d", "c", "zba", "zbb", "zbs", "v"), Set.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void probe_reportsTheModelsFeatures(Arch arch, String model, Set<String> has, Set<String> lacks) {
        Set<String> features = probe(arch, model);
        assertThat(features).containsAll(has);
        lacks.forEach(f -> assertThat(features).doesNotContain(f));
    }

    static Stream<Arguments> catalogModels() {
        return TestToolchain.CATALOG.all().stream().flatMap(t -> Stream.of(
                t.qemu().runs() == null ? null : Arguments.of(t.id(), t.qemu().runs(), true),
                t.qemu().faults() == null ? null : Arguments.of(t.id(), t.qemu().faults(), false)))
                .filter(a -> a != null);
    }

    /** The catalog's QEMU models are what the tests boot tuned images on: they must really (not) fit. */
    @ParameterizedTest(name = "{0} on {1}: safe={2}")
    @MethodSource("catalogModels")
    void catalogsQemuModels_satisfyOrLackTheirTargetsFeatures(String targetId, String model, boolean safe) {
        Target t = TestToolchain.target(targetId);
        assertThat(t.isSafeFor(probe(t.arch(), model))).as(model + " " + probe(t.arch(), model)).isEqualTo(safe);
    }
}
