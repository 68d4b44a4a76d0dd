package dev.tailor.fingerprint;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the compact form {@code arch[@vendor[/part...]]:feature,...} of the {@code cpu=} query
 * and the {@code Tailor-CPU} header (the canonical fingerprint is one), read as header bytes (ISO-8859-1).
 * Checks: {@link FingerprintInvariants}.
 */
class CompactFingerprintFuzzTest {

    @FuzzTest(maxDuration = "6s")
    void parse(byte[] input) {
        String compact = new String(input, StandardCharsets.ISO_8859_1);
        FingerprintInvariants.check(() -> FingerprintParser.parseCompact(compact));
    }
}
