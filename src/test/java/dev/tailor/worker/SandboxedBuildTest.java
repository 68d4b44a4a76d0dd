package dev.tailor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.store.Layout;
import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildKey;
import dev.tailor.builds.BuildRecord;
import dev.tailor.builds.BuildRecords;
import dev.tailor.builds.HostileSources;
import dev.tailor.builds.Priority;
import dev.tailor.bundle.Archives;
import dev.tailor.bundle.BundleDocument;
import dev.tailor.catalog.Target;

/** Real builds through the worker and the bubblewrap sandbox, including hostile bundles. */
class SandboxedBuildTest {

    @TempDir
    static Path tmp;
    static Rig rig;
    static final Target X86 = Rig.CATALOG.find("x86_64-v2").orElseThrow();

    @BeforeAll
    static void start() {
        rig = Rig.fresh(tmp.resolve("data"));
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    static BuildRecord build(Rig r, String app, Archives archive, Target target) throws Exception {
        BundleDocument doc = r.upload(app, archive);
        return r.builds.submit(doc.digest(), target, Priority.API).get(120, TimeUnit.SECONDS);
    }

    /** The stored log; a success answers before its log and record are written, so wait for them. */
    String log(BuildRecord r) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> rig.records.log(r.key()), java.util.Optional::isPresent).orElseThrow();
    }

    @Test
    void hello_buildsSignsAndStoresImageSignatureProvenanceLogAndRecord() throws Exception {
        BuildRecord r = build(rig, "hello", Rig.hello("hello"), X86);

        assertThat(r.status()).as(r.toString()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(r.image().url()).isEqualTo("/v1/images/sha256/" + r.image().digest().hex());
        assertThat(r.flags()).contains("-DEXIT_CODE=3", "-Os");
        byte[] image = read(Layout.image(r.image().digest()));
        assertThat(image).hasSize((int) r.image().size());
        assertThat(rig.signer.verify(image, read(Layout.signature(r.image().digest())))).isTrue();
        assertThat(new String(read(Layout.provenance(r.image().digest())))).contains("payloadType", rig.signer.keyId());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> rig.records.read(r.key()).filter(r::equals).isPresent());
        assertThat(log(r)).contains("$ cd /src && clang", "/src", "/out").doesNotContain(tmp.toString());
    }

    @Test
    void syntaxError_failsWithDiagnosticsAtTheRightLine() throws Exception {
        BuildRecord r = build(rig, "broken", Rig.app("broken", "main.c",
                "int main(void) {\n    int x = 1;\n    return x +;\n}\n"), X86);

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.compile_error");
        assertThat(r.error().diagnostics()).anySatisfy(d -> {
            assertThat(d.file()).isEqualTo("src/main.c");
            assertThat(d.line()).isEqualTo(3);
            assertThat(d.column()).isEqualTo(15);
            assertThat(d.severity()).isEqualTo("error");
            assertThat(d.message()).contains("expected expression");
        });
    }

    @Test
    void includeOfAHostFile_fails_andLeaksNothing() throws Exception {
        String hostname = Files.readString(Path.of("/etc/hostname")).strip();
        BuildRecord r = build(rig, "peek", Rig.app("peek", "main.c",
                "#include \"/etc/hostname\"\nint main(void) { return 0; }\n"), X86);

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.compile_error");
        assertThat(r.error().diagnostics().get(0).message()).contains("'/etc/hostname' file not found");
        assertThat(log(r)).doesNotContain(hostname).doesNotContain(tmp.toString());
        assertNextBuildSucceeds();
    }

    @Test
    void includeOfKernelFactsOrEndlessDevices_fails_andLeaksNothing() throws Exception {
        String kernel = Files.readString(Path.of("/proc/version")).strip();
        BuildRecord r = build(rig, "procfs", Rig.app("procfs", "main.c",
                "#include \"/proc/version\"\n#include \"/dev/zero\"\nint main(void) { return 0; }\n"), X86);

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.compile_error");
        assertThat(r.error().diagnostics().get(0).message()).contains("'/proc/version' file not found");
        assertThat(log(r)).doesNotContain(kernel).doesNotContain("Linux version");
    }

    @Test
    void incbinOfAHostFile_fails_andLeaksNothing() throws Exception {
        BuildRecord r = build(rig, "incbin", Rig.app("incbin", "blob.S",
                ".section .rodata\n.incbin \"/etc/passwd\"\n"), X86);

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.compile_error");
        assertThat(r.error().diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("/etc/passwd"));
        assertThat(log(r)).doesNotContain("root:x:0:0").doesNotContain(tmp.toString());
        assertNextBuildSucceeds();
    }

    @Test
    void sourceThatCompilesForever_timesOut_killsEverything_andTheWorkerStaysHealthy() throws Exception {
        BuildRecord r = build(rig, "forever", Rig.app("forever", "forever.S", HostileSources.SPIN), X86);

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.timeout");
        // the first command to run out of time ends the build: it is stopped at the per-command limit, and
        // nothing runs after it to spend the limit again
        assertThat(r.error().detail()).contains(Rig.LIMITS.wallClock().toSeconds() + " s per command");
        assertThat(log(r).split("tailor: stopped: ", -1)).as(log(r)).hasSize(2);
        // SIGKILL is asynchronous: give the kernel a moment to reap what the timeout killed
        org.awaitility.Awaitility.await("no compiler left running").atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().commandLine().orElse("").contains("forever.S")));
        assertNextBuildSucceeds();
    }

    @Test
    void sourceThatExhaustsMemory_hitsTheResourceLimit() throws Exception {
        String src = HostileSources.macroBomb(30);
        SandboxLimits small = new SandboxLimits(Duration.ofSeconds(30), 512L << 20, 16L << 20, 32L << 20, 64);
        try (Rig tight = new Rig(tmp.resolve("tight"), Rig.SHARED_CACHE, small)) {
            BuildRecord r = build(tight, "hog", Rig.app("hog", "hog.c", src), X86);

            assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
            assertThat(r.error().code()).isEqualTo("build.resource_limit");
            assertThat(tight.records.log(r.key()).orElseThrow()).contains("out of memory")
                    .doesNotContain("libLLVM").doesNotContain(tmp.toString());
        }
    }

    @Test
    void hugeFill_hitsTheOutputLimit_andTheWorkerStaysHealthy() throws Exception {
        BuildRecord r = build(rig, "filler", Rig.app("filler", "fill.S",
                ".section .rodata\n.fill 0x4000000, 1, 0x90\n"), X86);

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.output_too_large");
        try (var files = Files.walk(rig.dataDir.resolve("work"))) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> !f.getParent().getFileName().toString().equals("io")))
                    .as("the build's files are gone (io/ holds the output files of sandboxes waiting for the next)")
                    .isEmpty();
        }
        assertNextBuildSucceeds();
    }

    @Test
    void jobNamingAnotherToolchain_isRefused_ratherThanStoredUnderTheWrongKey() {
        BundleDocument doc = rig.upload("other", Rig.hello("other"));
        BuildJob job = new BuildJob(BuildKey.of(doc.digest(), X86.id(), "sha256:" + "0".repeat(64)).hex(), doc.digest(),
                "other", X86.id(), "x86_64", "sha256:" + "0".repeat(64), Priority.API, 1, Instant.now());

        BuildRecord r = rig.worker.execute(job, record -> { });

        assertThat(r.status()).isEqualTo(BuildRecord.Status.FAILED);
        assertThat(r.error().code()).isEqualTo("build.toolchain_mismatch");
    }

    @Test
    void staleRunningRecord_afterACrash_claimsNothing_andTheSameRequestBuildsIt() throws Exception {
        Path data = tmp.resolve("crashed");
        BuildKey key;
        BundleDocument doc;
        try (Rig before = Rig.fresh(data)) {
            doc = before.upload("crash", Rig.hello("crash"));
            key = before.builds.key(doc.digest(), X86);
            // what a process killed mid-compile leaves: a running record, no image
            before.records.write(BuildRecord.running(new BuildJob(key.hex(), doc.digest(), "crash", X86.id(),
                    X86.arch().id(), before.compiler.toolchainId(X86), Priority.API, 1, Instant.now()), Instant.now()));
        }
        try (Rig after = Rig.fresh(data)) {
            assertThat(after.builds.succeeded(doc.digest(), X86)).isEmpty();
            BuildRecord seen = after.builds.find(key).orElseThrow();
            assertThat(seen.status()).isEqualTo(BuildRecord.Status.FAILED);
            assertThat(seen.error().code()).isEqualTo("build.interrupted");
            assertThat(after.store.list("images/")).isEmpty();

            BuildRecord rebuilt = after.builds.submit(doc.digest(), X86, Priority.API).get(120, TimeUnit.SECONDS);
            assertThat(rebuilt.status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
            assertThat(rebuilt.attempt()).isEqualTo(2);
            assertThat(after.builds.succeeded(doc.digest(), X86)).contains(rebuilt);
        }
    }

    @Test
    void sameBundleAndTarget_inTwoFreshDataDirectoriesAndCaches_giveTheSameImage() throws Exception {
        Target arm = Rig.CATALOG.find("aarch64-v8.0").orElseThrow();
        BuildRecord one;
        BuildRecord two;
        try (Rig a = new Rig(tmp.resolve("a/data"), tmp.resolve("a/cache"))) {
            one = build(a, "repro", Rig.hello("repro"), arm);
        }
        try (Rig b = new Rig(tmp.resolve("elsewhere/b/data"), tmp.resolve("elsewhere/b/cache"))) {
            two = build(b, "repro", Rig.hello("repro"), arm);
        }
        assertThat(one.status()).isEqualTo(BuildRecord.Status.SUCCEEDED);
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(two.image().digest()).isEqualTo(one.image().digest());
    }

    private void assertNextBuildSucceeds() throws Exception {
        BuildRecord next = build(rig, "after", Rig.app("after", "main.c",
                "int main(void) { return " + System.nanoTime() % 100 + "; }\n"), X86);
        assertThat(next.status()).as(String.valueOf(next.error())).isEqualTo(BuildRecord.Status.SUCCEEDED);
    }

    private static byte[] read(String key) throws IOException {
        try (InputStream in = rig.store.get(key).orElseThrow()) {
            return in.readAllBytes();
        }
    }

}
