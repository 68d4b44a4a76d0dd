package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CompileFailureTest {

    @Test
    void syntaxError_failsWithClangsDiagnostics_namingTheRelativeFileAndLine() {
        Path bundle = TestToolchain.bundle("broken", "int main(void) {\n    return undefined_name;\n}\n");
        CompileRequest request = new CompileRequest(bundle, List.of("src/broken.c"), List.of(), Map.of(),
                Optimize.SPEED, CompileRequest.DEFAULT_HEAP, "broken", "k");

        assertThatThrownBy(() -> TestToolchain.build(request, target("aarch64-v8.0")))
                .isInstanceOfSatisfying(CompileFailedException.class, e -> {
                    assertThat(e.diagnostics()).contains("src/broken.c:2:").contains("error:").contains("undefined_name");
                    assertThat(e.diagnostics()).doesNotContain(bundle.toString());
                    assertThat(e.log()).contains("$ clang");
                });
    }

    @Test
    void undefinedFunction_failsAtLinkWithLldsMessage() {
        Path bundle = TestToolchain.bundle("nolink", "int missing(void);\nint main(void) { return missing(); }\n");
        CompileRequest request = new CompileRequest(bundle, List.of("src/nolink.c"), List.of(), Map.of(),
                Optimize.SIZE, CompileRequest.DEFAULT_HEAP, "nolink", "k");

        assertThatThrownBy(() -> TestToolchain.build(request, target("i686-base")))
                .isInstanceOfSatisfying(CompileFailedException.class,
                        e -> assertThat(e.diagnostics()).contains("undefined symbol: missing"));
    }

    @Test
    void request_rejectsPathsOutsideTheBundle() {
        assertThatThrownBy(() -> new CompileRequest(Path.of("/tmp"), List.of("../etc/x.c"), List.of(), Map.of(),
                Optimize.SPEED, CompileRequest.DEFAULT_HEAP, "a", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompileRequest(Path.of("/tmp"), List.of("/etc/x.c"), List.of(), Map.of(),
                Optimize.SPEED, CompileRequest.DEFAULT_HEAP, "a", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompileRequest(Path.of("/tmp"), List.of("a.c"), List.of("/usr/include"), Map.of(),
                Optimize.SPEED, CompileRequest.DEFAULT_HEAP, "a", "k")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompileRequest(Path.of("/tmp"), List.of("a.c"), List.of(), Map.of("x", "1"),
                Optimize.SPEED, CompileRequest.DEFAULT_HEAP, "a", "k")).isInstanceOf(IllegalArgumentException.class);
    }
}
