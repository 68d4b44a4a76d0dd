package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the {@code Range} header parser (notes/fuzzing.md). The input is the header as the
 * client sends it (ISO-8859-1, as HTTP header bytes are); it is asked of images of a few fixed sizes and of the sizes
 * next to every number in it, where the boundaries are. Whatever the header, the answer is the whole image, one
 * range inside it, or 416 (unsatisfiable), and never an exception.
 */
class RangeFuzzTest {

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final long[] SIZES = {0, 1, 2, 100, 1 << 20, Long.MAX_VALUE};

    @FuzzTest(maxDuration = "5s")
    void parse(byte[] input) {
        String header = new String(input, StandardCharsets.ISO_8859_1);
        TreeSet<Long> sizes = new TreeSet<>();
        for (long s : SIZES) {
            sizes.add(s);
        }
        Matcher m = NUMBER.matcher(header);
        for (int i = 0; i < 8 && m.find(); i++) {
            long n = Long.parseLong(m.group());
            for (long s : new long[] {n - 1, n, n + 1}) {
                if (s >= 0) {
                    sizes.add(s);
                }
            }
        }
        for (long size : sizes) {
            check(header, size);
        }
        check(null, 10);
    }

    private static void check(String header, long size) {
        ByteRange.Request r = ByteRange.parse(header, size);
        assertThat(r).isNotNull();
        if (r instanceof ByteRange.Single single) {
            ByteRange b = single.range();
            assertThat(b.size()).isEqualTo(size);
            assertThat(b.first()).isBetween(0L, size - 1);
            assertThat(b.last()).isBetween(b.first(), size - 1);
            assertThat(b.length()).isBetween(1L, size);
            assertThat(b.contentRange()).isEqualTo("bytes " + b.first() + "-" + b.last() + "/" + size);
        } else if (r instanceof ByteRange.Unsatisfiable) {
            assertThat(header).as("only a byte range can be unsatisfiable").isNotNull();
        }
    }
}
