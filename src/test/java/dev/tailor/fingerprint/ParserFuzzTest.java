package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Random, truncated and mutated input for each parser, bounded in count and time: the only acceptable outcomes are
 * a profile that resolves safely, or a 4xx {@link FingerprintException}. Anything else would be a 500.
 */
class ParserFuzzTest {

    private static final int ROUNDS = 400;
    private static final Duration BUDGET = Duration.ofSeconds(30);

    private static final List<String> SEEDS = List.of(
            Corpus.get("linux-rhel7-broadwell").text(),
            Corpus.get("meizu-pro-6.log").text(),
            Corpus.get("galaxy-s6.armeabi.log").text(),
            "{\"arch\":\"x86_64\",\"features\":[\"sse4.2\",\"avx2\",\"pni\"]}",
            "{\"arch\":\"x86_64\",\"cpuid\":{\"1\":{\"ecx\":\"0x7ffafbff\",\"edx\":\"0xbfebfbff\"},\"7.0\":{\"ebx\":\"0x27ab\"}}}",
            "{\"arch\":\"aarch64\",\"hwcap\":\"0x1fff\",\"hwcap2\":\"0x3\"}",
            "aarch64:fp,asimd,crc32,atomics");

    /** One input through the public entry points, as the controller would call them. */
    private static void feed(String contentType, byte[] body, String hint) {
        try {
            CpuProfile p = FingerprintParser.parse(contentType, body, hint);
            for (Policy policy : Policy.values()) {
                Resolution r = Corpus.RESOLVER.resolve(p, policy);
                assertThat(p.features()).containsAll(r.target().features());
            }
        } catch (FingerprintException e) {
            assertThat(e.problem().status() / 100 == 4).as(e.getMessage()).isTrue();
        }
    }

    @Test
    void randomBytes_neverFailOtherThanWith4xx() {
        Random random = new Random(42);
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < ROUNDS; i++) {
                byte[] b = new byte[random.nextInt(2048)];
                random.nextBytes(b);
                feed(random.nextBoolean() ? "text/plain" : "application/json", b, null);
            }
        });
    }

    @Test
    void truncatedFingerprints_neverFailOtherThanWith4xx() {
        Random random = new Random(7);
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < ROUNDS; i++) {
                String seed = SEEDS.get(random.nextInt(SEEDS.size()));
                String cut = seed.substring(0, random.nextInt(seed.length() + 1));
                feed(cut.startsWith("{") ? "application/json" : "text/plain", cut.getBytes(StandardCharsets.UTF_8),
                        random.nextInt(4) == 0 ? "aarch64" : null);
            }
        });
    }

    @Test
    void mutatedFingerprints_neverFailOtherThanWith4xx() {
        Random random = new Random(1234);
        String alphabet = "{}[]\":,.0123456789abcdefx \n\t-_:processorflagsFeaturesCPU part0x";
        assertTimeoutPreemptively(BUDGET, () -> {
            for (int i = 0; i < ROUNDS; i++) {
                StringBuilder s = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
                for (int m = random.nextInt(20); m >= 0; m--) {
                    int at = random.nextInt(s.length() + 1);
                    switch (random.nextInt(3)) {
                        case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 1 -> {
                            if (at < s.length()) {
                                s.deleteCharAt(at);
                            }
                        }
                        default -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(200))));
                    }
                }
                String text = s.toString();
                feed(text.startsWith("{") ? "application/json" : "text/plain", text.getBytes(StandardCharsets.UTF_8),
                        null);
                if (!text.startsWith("{")) {
                    try {
                        FingerprintParser.parseCompact(text.length() > 300 ? text.substring(0, 300) : text);
                    } catch (FingerprintException e) {
                        assertThat(e.problem().status() / 100 == 4).isTrue();
                    }
                }
            }
        });
    }

    @Test
    void pathologicalInputs_answerQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            feed("text/plain", ("flags\t: " + "sse ".repeat(60_000)).getBytes(), null);
            feed("text/plain", ":".repeat(FingerprintParser.MAX_BODY_BYTES).getBytes(), null);
            feed("text/plain", "Features : \n".repeat(20_000).getBytes(), null);
            feed("application/json", ("{\"arch\":\"x86_64\",\"features\":[" + "\"sse\",".repeat(20_000) + "\"x\"]}")
                    .getBytes(), null);
            feed("application/json", ("{\"arch\":\"" + "a".repeat(100_000) + "\"}").getBytes(), null);
        });
    }
}
