package dev.tailor.amqp;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.target.Arch;

class WorkerToolchainsTest {

    @Test
    void thisMachinesToolchain_servesEveryArchitecture() {
        assertThatCode(() -> WorkerToolchains.require(EnumSet.allOf(Arch.class), true)).doesNotThrowAnyException();
    }

    @Test
    void aWorkerWithoutTools_refusesToStart_namingEachMissingOne(@TempDir Path empty) {
        assertThatThrownBy(() -> WorkerToolchains.require(Set.of(Arch.AARCH64), true, empty.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[aarch64]")
                .hasMessageContaining("clang is not on the PATH")
                .hasMessageContaining("ld.lld is not on the PATH")
                .hasMessageContaining("bwrap is not on the PATH");
    }

    @Test
    void withoutTheSandbox_bwrapIsNotRequired(@TempDir Path empty) {
        assertThatThrownBy(() -> WorkerToolchains.require(Set.of(Arch.X86_64), false, empty.toString()))
                .message().doesNotContain("bwrap is not");
    }
}
