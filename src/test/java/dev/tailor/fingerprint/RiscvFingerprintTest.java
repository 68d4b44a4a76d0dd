package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tailor.catalog.Arch;

/**
 * riscv64 fingerprints: /proc/cpuinfo as the kernels of several eras print it (files in
 * {@code src/test/resources/cpuinfo-riscv64/}, whose README says where each comes from), AT_HWCAP and the compact
 * form, including a whole ISA string sent as one name.
 */
class RiscvFingerprintTest {

    static String cpuinfo(String file) {
        try (InputStream in = RiscvFingerprintTest.class.getResourceAsStream("/cpuinfo-riscv64/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource cpuinfo-riscv64/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CpuProfile parse(String file) {
        return FingerprintParser.parse("text/plain", cpuinfo(file).getBytes(StandardCharsets.UTF_8), null);
    }

    @ParameterizedTest(name = "{0}: level {1}, native {2}")
    @CsvSource({
            // archspec has no U54: a SiFive core gets the U74's tuning only where its uarch line names the U74
            "linux5.10-hifive-unleashed-u54mc, riscv64-rva20, riscv64-rva20, SiFive",
            "linux6.6-hifive-unmatched-u74mc, riscv64-rva20, riscv64-u74mc, SiFive",
            "linux6.6-visionfive2-jh7110, riscv64-rva20, riscv64-u74mc, SiFive",
            // archspec's x60 requires only RV64GC: the native answer must not fall below the level's V
            "linux6.8-bananapi-f3-spacemit-x60, riscv64-rva22v, riscv64-rva22v, SpacemiT",
            "linux6.8-qemu-virt-rv64, riscv64-rva22, riscv64-rva22, ",
            "linux6.10-licheepi4a-th1520, riscv64-rva20, riscv64-rva20, T-Head",
            "synthetic-linux6.8-heterogeneous, riscv64-rva20, riscv64-rva20, ",
            "synthetic-linux5.15-versioned-dt-isa, riscv64-rva22v, riscv64-rva22v, "})
    void procCpuinfo_resolvesAsTheIsaLineAllows(String file, String level, String nativeTarget, String vendor) {
        CpuProfile p = parse(file);

        assertThat(p.arch()).isEqualTo(Arch.RISCV64);
        assertThat(p.vendor()).isEqualTo(vendor);
        assertThat(p.features()).contains("i", "m", "a", "f", "d", "c");
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo(level);
        assertThat(Corpus.RESOLVER.resolve(p, Policy.NATIVE).target().id()).isEqualTo(nativeTarget);
        assertThat(Corpus.RESOLVER.resolve(p, Policy.PORTABLE).target().id()).isEqualTo("riscv64-rva20");
        FingerprintInvariants.check(() -> p);
    }

    @Test
    void x60_keepsItsMultiLetterExtensions_andDropsSupervisorOnes() {
        CpuProfile p = parse("linux6.8-bananapi-f3-spacemit-x60");
        assertThat(p.features()).contains("v", "zba", "zbb", "zbc", "zbs", "zicsr", "zifencei", "zicond", "zfh",
                "zve64d", "zvfh").doesNotContain("sstc", "svinval", "svpbmt");
        assertThat(p.model()).startsWith("spacemit,x60").contains("sv39", "mvendorid 0x710");
        assertThat(p.notes()).anyMatch(n -> n.contains("ignored") && n.contains("sstc") && n.contains("svpbmt"));
        assertThat(p.notes()).anyMatch(n -> n.contains("8 processor blocks"));
    }

    @Test
    void visionFive2_lacksOnlyZbs_forTheNextRung() {
        Resolution r = Corpus.RESOLVER.resolve(parse("linux6.6-visionfive2-jh7110"), Policy.LEVEL);
        assertThat(r.next().id()).isEqualTo("riscv64-rva22");
        assertThat(r.next().missing()).containsExactly("zbs");
    }

    @Test
    void qemuVirt_hypervisorLetterAndSupervisorExtensions_areIgnored() {
        CpuProfile p = parse("linux6.8-qemu-virt-rv64");
        assertThat(p.features()).contains("zba", "zbb", "zbs", "zfa", "zawrs").doesNotContain("h", "v", "svadu");
        assertThat(p.vendor()).isNull();
        assertThat(p.model()).contains("sv57");
    }

    @Test
    void theadVectorDraft_isNotV() {
        CpuProfile p = parse("linux6.10-licheepi4a-th1520");
        assertThat(p.features()).doesNotContain("v");
        assertThat(p.model()).startsWith("thead,c910");
    }

    @Test
    void harts_thatDiffer_countOnlyWhatEveryHartHas() {
        CpuProfile p = parse("synthetic-linux6.8-heterogeneous");
        assertThat(p.features()).contains("zba", "zbb").doesNotContain("zbs", "v");
        assertThat(p.notes()).anyMatch(n -> n.contains("cores differ") && n.contains("v") && n.contains("zbs"));
    }

    @Test
    void versionedIsaString_dropsTheVersions() {
        assertThat(parse("synthetic-linux5.15-versioned-dt-isa").features()).containsExactlyInAnyOrder("i", "m", "a",
                "f", "d", "c", "zicsr", "zifencei", "zba", "zbb", "zbs", "v");
    }

    @Test
    void isaStrings_splitIntoExtensions() {
        assertThat(RiscvIsa.extensions("rv64imafdc")).containsExactly("i", "m", "a", "f", "d", "c");
        assertThat(RiscvIsa.extensions("RV64GCV_Zba_Zbb")).containsExactly("g", "c", "v", "zba", "zbb");
        assertThat(RiscvIsa.extensions("rv64imafdczicsr_zifencei")).containsExactly("i", "m", "a", "f", "d", "c",
                "zicsr", "zifencei");
        assertThat(RiscvIsa.extensions("rv64i2p1_m2p0_zve32x1p0_zvl128b")).containsExactly("i", "m", "zve32x",
                "zvl128b");
        assertThat(RiscvIsa.extensions("x86_64")).isEmpty();
        assertThat(RiscvIsa.width("rv32imac")).isEqualTo(32);
    }

    @Test
    void rv32_orAnotherArchitectureAsked_isAProblem() {
        assertThatThrownBy(() -> FingerprintParser.parse("text/plain",
                "processor\t: 0\nhart\t\t: 0\nisa\t\t: rv32imac\n".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(FingerprintException.class).hasMessageContaining("32-bit RISC-V");
        assertThatThrownBy(() -> FingerprintParser.parse("text/plain",
                cpuinfo("linux6.8-qemu-virt-rv64").getBytes(StandardCharsets.UTF_8), "aarch64"))
                .isInstanceOfSatisfying(FingerprintException.class,
                        e -> assertThat(e.code()).isEqualTo("fingerprint.arch_mismatch"));
        assertThat(FingerprintParser.parse("text/plain",
                cpuinfo("linux6.8-qemu-virt-rv64").getBytes(StandardCharsets.UTF_8), "riscv").arch())
                .isEqualTo(Arch.RISCV64);
    }

    @Test
    void hwcap_bitsAreTheSingleLetters_andCannotShowBitmanip() {
        // 0x20112d: a (0), c (2), d (3), f (5), i (8), m (12), v (21)
        CpuProfile p = FingerprintParser.parse("application/json",
                "{\"arch\":\"riscv64\",\"hwcap\":\"0x20112d\"}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(p.features()).containsExactly("a", "c", "d", "f", "i", "m", "v");
        assertThat(p.notes()).anyMatch(n -> n.contains("single-letter"));
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo("riscv64-rva20");

        CpuProfile h = FingerprintParser.parse("application/json",
                "{\"arch\":\"riscv64\",\"hwcap\":\"0x80112d\"}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(h.features()).doesNotContain("x");
        assertThat(h.notes()).anyMatch(n -> n.contains("[23]"));
        assertThatThrownBy(() -> FingerprintParser.parse("application/json",
                "{\"arch\":\"riscv64\",\"hwcap\":\"0x112d\",\"hwcap2\":\"0x1\"}".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(FingerprintException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "riscv64:a,c,d,f,i,m; riscv64-rva20",
            "rv64:rv64gc; riscv64-rva20",
            "riscv:rv64gc_zba_zbb_zbs; riscv64-rva22",
            "riscv64:rv64imafdcv_zicsr_zifencei_zba_zbb_zbs; riscv64-rva22v",
            "riscv64:g,c,b; riscv64-rva22",
            "riscv64:g,c,b,v; riscv64-rva22v",
            "riscv64:g,c,v; riscv64-rva20"})
    void compactForms_includingWholeIsaStrings(String compact, String level) {
        CpuProfile p = FingerprintParser.parseCompact(compact);
        assertThat(p.arch()).isEqualTo(Arch.RISCV64);
        assertThat(Corpus.RESOLVER.resolve(p, Policy.LEVEL).target().id()).isEqualTo(level);
    }

    @Test
    void jsonVendor_acceptsTheJedecId_andTheCoreNamesTheMicroarchitecture() {
        CpuProfile vendorOnly = json("{\"arch\":\"riscv64\",\"features\":[\"rv64gc\"],\"vendor\":\"0x489\"}");
        assertThat(vendorOnly.vendor()).isEqualTo("SiFive");
        assertThat(Corpus.RESOLVER.resolve(vendorOnly, Policy.NATIVE).target().id()).isEqualTo("riscv64-rva20");
        assertThat(Corpus.RESOLVER.canonical(vendorOnly)).isEqualTo("riscv64:a,c,d,f,i,m");

        CpuProfile u74 = json("{\"arch\":\"riscv64\",\"features\":[\"rv64gc\"],\"vendor\":\"0x489\",\"part\":\"U74MC\"}");
        assertThat(u74.parts()).containsExactly("u74mc");
        assertThat(Corpus.RESOLVER.resolve(u74, Policy.NATIVE).target().id()).isEqualTo("riscv64-u74mc");
        assertThat(Corpus.RESOLVER.canonical(u74)).isEqualTo("riscv64@SiFive/u74mc:a,c,d,f,i,m");

        for (String bad : List.of("0xd0c", "u74-mc", "7series", "a-very-long-core-name-indeed")) {
            assertThatThrownBy(() -> json("{\"arch\":\"riscv64\",\"features\":[\"rv64gc\"],\"part\":\"" + bad + "\"}"))
                    .as(bad).isInstanceOf(FingerprintException.class).hasMessageContaining("u74mc");
        }
    }

    /** archspec's rule: a named RISC-V core is the answer only for the core the device names (its uarch line). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "linux5.10-hifive-unleashed-u54mc, u54mc",
            "linux6.6-hifive-unmatched-u74mc, u74mc",
            "linux6.6-visionfive2-jh7110, u74mc",
            "linux6.8-bananapi-f3-spacemit-x60, x60",
            "linux6.10-licheepi4a-th1520, c910",
            "linux6.8-qemu-virt-rv64, "})
    void theUarchLine_namesTheCore(String file, String core) {
        CpuProfile p = parse(file);
        assertThat(p.parts()).isEqualTo(core == null ? List.of() : List.of(core));
    }

    @Test
    void aU54_isNotGivenTheU74sTuning_andItsCanonicalFormStaysShort() {
        CpuProfile u54 = parse("linux5.10-hifive-unleashed-u54mc");
        Resolution r = Corpus.RESOLVER.resolve(u54, Policy.NATIVE);
        assertThat(r.target().id()).isEqualTo("riscv64-rva20");
        assertThat(r.reasons()).anyMatch(x -> x.contains("vendor SiFive") && x.contains("core u54mc"));
        assertThat(Corpus.RESOLVER.canonical(u54)).isEqualTo("riscv64:a,c,d,f,i,m");

        CpuProfile u74 = parse("linux6.6-hifive-unmatched-u74mc");
        String canonical = Corpus.RESOLVER.canonical(u74);
        assertThat(canonical).isEqualTo("riscv64@SiFive/u74mc:a,c,d,f,i,m");
        assertThat(Corpus.RESOLVER.resolve(FingerprintParser.parseCompact(canonical), Policy.NATIVE).target().id())
                .isEqualTo("riscv64-u74mc");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "riscv64@SiFive/0xd0c:rv64gc; riscv64@SiFive/u74mc",
            "aarch64@ARM/u74mc:asimd; aarch64@ARM/0xd0c",
            "riscv64@SiFive/U74MC:rv64gc; after '@'"})
    void compactParts_followTheArchitecture(String compact, String hint) {
        assertThatThrownBy(() -> FingerprintParser.parseCompact(compact))
                .isInstanceOf(FingerprintException.class).hasMessageContaining(hint);
    }

    private static CpuProfile json(String body) {
        return FingerprintParser.parse("application/json", body.getBytes(StandardCharsets.UTF_8), null);
    }
}
