package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.COMPILER;
import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tailor.catalog.Target;

/** wasm32 as an architecture: the app and runtime as a module, run by compiler-workers/wasm/run.mjs under Node. */
class WasmFlavorTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"wasm32-mvp", "wasm32-simd128"})
    void hello_asModule_printsTheConsoleOnStdout_andExitsWithMainsCode(String id) throws Exception {
        Target t = target(id);
        CompileResult built = TestToolchain.build(TestToolchain.example("hello"), t);

        HostRunner.Run run = HostRunner.run(t, built.image());

        assertThat(built.image().getFileName().toString()).isEqualTo("image.wasm");
        assertThat(Files.readAllBytes(built.image())).startsWith(0, 'a', 's', 'm');
        assertThat(run.console())
                .startsWith("tailor: boot app=hello target=" + id + " arch=wasm32 build=test-hello\n")
                .contains("hello from tailor: " + id + " on wasm32\n")
                .endsWith("tailor: exit 3\n");
        assertThat(run.exitCode()).isEqualTo(3);
    }

    @Test
    void simd128Target_emitsVectorInstructions_andTheMvpTargetNone() {
        CompileRequest request = TestToolchain.single("vec", """
                #include <stdio.h>
                static unsigned a[1024], b[1024];
                int main(void) {
                    for (unsigned i = 0; i < 1024; i++) { a[i] = i * 2654435761u; b[i] = i ^ 0x5a5a5a5au; }
                    for (unsigned i = 0; i < 1024; i++) { a[i] = (a[i] + b[i]) ^ (a[i] >> 3); }
                    unsigned s = 0;
                    for (unsigned i = 0; i < 1024; i++) { s += a[i]; }
                    printf("sum %u\\n", s);
                    return 0;
                }
                """, Map.of());
        CompileResult mvp = TestToolchain.build(request, target("wasm32-mvp"));
        CompileResult simd = TestToolchain.build(request, target("wasm32-simd128"));

        assertThat(TestToolchain.disassemble(simd.image())).contains("v128.");
        assertThat(TestToolchain.disassemble(mvp.image())).doesNotContain("v128.");
        HostRunner.Run a = HostRunner.run(target("wasm32-mvp"), mvp.image());
        HostRunner.Run b = HostRunner.run(target("wasm32-simd128"), simd.image());
        assertThat(a.exitCode()).isZero();
        assertThat(b.console()).as("the same answer with and without SIMD").contains(a.console().lines()
                .filter(l -> l.startsWith("sum ")).findFirst().orElseThrow());
    }

    @Test
    void aTrap_isReportedLikeACpuFault() {
        CompileResult built = TestToolchain.build(TestToolchain.single("trap",
                "#include <stdio.h>\nint main(void) { printf(\"before\\n\"); __builtin_trap(); }\n", Map.of()),
                target("wasm32-mvp"));

        HostRunner.Run run = HostRunner.run(target("wasm32-mvp"), built.image());

        assertThat(run.exitCode()).isEqualTo(122);
        assertThat(run.console()).contains("before\n").contains("tailor: trap: unreachable").endsWith("tailor: exit 122\n");
    }

    @Test
    void aModuleTheEngineCannotCompile_isExit121_andAFileThatIsNoModuleIsAUsageError() throws Exception {
        Path bad = tmp.resolve("bad.wasm");
        // the magic and version, then a section id no engine knows
        Files.write(bad, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 0x7f, 1, 0});
        Path text = tmp.resolve("text.wasm");
        Files.writeString(text, "not a module");

        HostRunner.Run unknownFeature = HostRunner.exec(List.of("node", HostRunner.RUN_MJS.toString(), bad.toString()), Map.of());
        HostRunner.Run notModule = HostRunner.exec(List.of("node", HostRunner.RUN_MJS.toString(), text.toString()), Map.of());

        assertThat(unknownFeature.exitCode()).isEqualTo(121);
        assertThat(unknownFeature.console()).contains("cannot compile the module");
        assertThat(notModule.exitCode()).isEqualTo(2);
        assertThat(notModule.console()).contains("not a WebAssembly module");
    }

    @Test
    void wasm32_hasNoLinuxFlavor() {
        assertThat(COMPILER.supports(target("wasm32-mvp"), Flavor.LINUX)).isFalse();
        assertThat(COMPILER.supports(target("wasm32-mvp"), Flavor.IMAGE)).isTrue();
        assertThat(COMPILER.supports(target("armv7-vfpv3d16"), Flavor.LINUX)).isTrue();
    }
}
