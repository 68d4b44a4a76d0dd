package dev.tailor.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.tailor.problem.TailorException;

/**
 * Coverage-guided fuzzing of the {@code tailor.yaml} parser (notes/fuzzing.md): any bytes either give a manifest
 * whose every value is within the documented rules, or fail with a documented 4xx problem.
 */
class ManifestFuzzTest {

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");
    private static final Pattern DEFINE = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");

    @FuzzTest(maxDuration = "6s")
    void parse(byte[] yaml) {
        Manifest m;
        try {
            m = ManifestParser.parse(yaml, "hello");
        } catch (TailorException e) {
            assertThat(e.problem().status() / 100).as("a 4xx problem, not " + e.getMessage()).isEqualTo(4);
            return;
        }
        assertThat(m.name()).isEqualTo("hello");
        assertThat(VERSION.matcher(m.version()).matches()).as(m.version()).isTrue();
        assertThat(m.sources()).isNotEmpty().hasSizeLessThanOrEqualTo(256).allSatisfy(ManifestFuzzTest::relative);
        assertThat(m.include()).hasSizeLessThanOrEqualTo(256).allSatisfy(ManifestFuzzTest::relative);
        assertThat(m.archs()).isNotEmpty().doesNotHaveDuplicates();
        assertThat(m.heapBytes()).isBetween(64L * 1024, ManifestParser.MAX_HEAP);
        assertThat(m.defines()).hasSizeLessThanOrEqualTo(128);
        m.defines().forEach((name, value) -> {
            assertThat(DEFINE.matcher(name).matches()).as(name).isTrue();
            assertThat(value).hasSizeLessThanOrEqualTo(256).matches("[\\x20-\\x7e]*");
        });
    }

    static void relative(String path) {
        assertThat(path).isNotBlank().hasSizeLessThanOrEqualTo(256).doesNotStartWith("/").doesNotContain("\\");
        assertThat(path.split("/")).doesNotContain("..");
        assertThat(path.chars().noneMatch(c -> c < 0x20)).as("no control characters").isTrue();
    }
}
