package dev.tailor.toolchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tailor.catalog.Target;

class ComputeChecksumTest {

    /** Computed independently with Python's hashlib and zlib from the same buffer and rounds. */
    static final String EXPECTED = "checksum sha256=d2aa06b6 crc32=d6cbb471 vector=7d85f41bbe63a8bb";

    static Stream<Target> runnableTargets() {
        return TestToolchain.CATALOG.all().stream().filter(t -> t.qemu().runs() != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnableTargets")
    void compute_givesTheBaselineChecksumOnEveryTarget(Target target) {
        CompileResult built = TestToolchain.build(TestToolchain.example("compute"), target);
        Qemu.Boot boot = TestToolchain.boot(target, target.qemu().runs(), built.image());

        assertThat(boot.console()).contains(EXPECTED + "\n");
        assertThat(boot.exitCode()).as(boot.console()).isZero();
        assertThat(built.appFlags()).contains("-O2", "-DROUNDS=4", "-Iinclude").containsAll(target.cflags());
    }
}
