package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.CATALOG;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.Target;

class HelloBootTest {

    @ParameterizedTest
    @EnumSource(value = Arch.class, names = "WASM32", mode = EnumSource.Mode.EXCLUDE) // modules do not boot
    void hello_builtForBaseline_bootsPrintsAndExitsWithMainsReturnCode(Arch arch) {
        Target baseline = CATALOG.baseline(arch);
        CompileRequest request = TestToolchain.example("hello");

        CompileResult built = TestToolchain.build(request, baseline);
        Qemu.Boot boot = TestToolchain.boot(baseline, baseline.qemu().runs(), built.image());

        assertThat(boot.timedOut()).isFalse();
        assertThat(boot.console())
                .contains("tailor: boot app=hello target=" + baseline.id() + " arch=" + arch.id() + " build=test-hello")
                .contains("hello from tailor: " + baseline.id() + " on " + arch.id() + "\n")
                .endsWith("tailor: exit 3\n");
        assertThat(boot.exitCode()).as(boot.console()).isEqualTo(3);
        assertThat(built.appFlags()).contains("-Os", "-DEXIT_CODE=3").containsAll(baseline.cflags());
        assertThat(built.toolchainId()).matches("sha256:[0-9a-f]{64}");
    }
}
