package dev.tailor.amqp;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.catalog.Arch;
import dev.tailor.toolchain.Toolchains;

class WorkerToolchainsTest {

    private static final Toolchains TOOLCHAINS = Toolchains.load();

    @Test
    void thisMachinesToolchain_servesEveryArchitecture() {
        assertThatCode(() -> WorkerToolchains.require(TOOLCHAINS, EnumSet.allOf(Arch.class), true)).doesNotThrowAnyException();
    }

    @Test
    void aWorkerWithoutTools_refusesToStart_namingEachMissingOne(@TempDir Path empty) {
        assertThatThrownBy(() -> WorkerToolchains.require(TOOLCHAINS, Set.of(Arch.AARCH64), true, empty.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[aarch64]")
                .hasMessageContaining("clang is not on the PATH")
                .hasMessageContaining("ld.lld is not on the PATH")
                .hasMessageContaining("bwrap is not on the PATH");
    }

    @Test
    void withoutTheSandbox_bwrapIsNotRequired(@TempDir Path empty) {
        assertThatThrownBy(() -> WorkerToolchains.require(TOOLCHAINS, Set.of(Arch.X86_64), false, empty.toString()))
                .message().doesNotContain("bwrap is not");
    }
}
