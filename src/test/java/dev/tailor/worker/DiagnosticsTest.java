package dev.tailor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tailor.builds.BuildRecord.Diagnostic;

class DiagnosticsTest {

    @Test
    void clangAndLldMessages_becomeDiagnostics_withPathsRelativeToTheBundle() {
        String out = """
                src/main.c:3:15: error: expected expression
                    return x +;
                              ^
                /src/include/util.h:7:1: warning: no newline at end of file [-Wnewline-eof]
                /tailor/cache/sources/abc/compiler-workers/runtime/include/stdio.h:12:5: note: declared here
                src/a.c:1:10: fatal error: '/etc/hostname' file not found
                src/b.S:2:9: error: Could not find incbin file '/etc/passwd'
                ld.lld: error: undefined symbol: missing
                2 errors generated.
                """;

        List<Diagnostic> d = Diagnostics.parse(out);

        assertThat(d).containsExactly(
                new Diagnostic("src/main.c", 3, 15, "error", "expected expression"),
                new Diagnostic("include/util.h", 7, 1, "warning", "no newline at end of file [-Wnewline-eof]"),
                new Diagnostic("<runtime>/runtime/include/stdio.h", 12, 5, "note", "declared here"),
                new Diagnostic("src/a.c", 1, 10, "error", "'/etc/hostname' file not found"),
                new Diagnostic("src/b.S", 2, 9, "error", "Could not find incbin file '/etc/passwd'"),
                new Diagnostic(null, null, null, "error", "undefined symbol: missing"));
    }

    @Test
    void aFloodOfMessages_isCapped() {
        String out = "src/x.c:1:1: warning: w\n".repeat(1000);
        assertThat(Diagnostics.parse(out)).hasSize(Diagnostics.MAX);
    }

    @Test
    void sandboxRunner_mapsHostPathsInsideArguments_longestFirst_andQuotesForTheShell() {
        SandboxedRunner r = new SandboxedRunner(true, Rig.LIMITS, Path.of("/data/work/k/src"), Path.of("/data/work/k/out"),
                Path.of("/data/toolchains"), line -> { });

        assertThat(r.map("-ffile-prefix-map=/data/work/k/src=.")).isEqualTo("-ffile-prefix-map=/src=.");
        assertThat(r.map("/data/work/k/out/obj/a.o")).isEqualTo("/out/obj/a.o");
        assertThat(r.map("-I/data/toolchains/sources/x/include")).isEqualTo("-I/tailor/cache/sources/x/include");
        assertThat(Workspace.quote("-DNAME=\"v\"")).isEqualTo("'-DNAME=\"v\"'");
        assertThat(Workspace.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Workspace.quote("-O2")).isEqualTo("-O2");
    }
}
