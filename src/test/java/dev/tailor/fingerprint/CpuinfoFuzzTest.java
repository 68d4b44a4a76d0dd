package dev.tailor.fingerprint;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of a text body, as {@code POST /v1/fingerprints/resolve} reads one with
 * {@code Content-Type: text/plain}: mostly the /proc/cpuinfo parser (and the compact line it may be). The last byte
 * picks the {@code arch=} hint, so a real /proc/cpuinfo is a seed as it is. Checks: {@link FingerprintInvariants}.
 */
class CpuinfoFuzzTest {

    /** The {@code arch=} hint of a last byte 1..8; any other last byte (a text's newline) means none. */
    static final String[] HINTS = {null, "x86_64", "i686", "aarch64", "armv7", "wasm32", "sparc", " ", "riscv64"};
    static final String[] TYPES = {"text/plain", "", "text/plain; charset=utf-8", "*/*"};

    @FuzzTest(maxDuration = "6s")
    void parse(FuzzedDataProvider data) {
        String hint = hint(data);
        byte[] body = data.consumeRemainingAsBytes();
        String type = TYPES[Math.floorMod(body.length, TYPES.length)];
        FingerprintInvariants.check(() -> FingerprintParser.parse(type, body, hint));
    }

    static String hint(FuzzedDataProvider data) {
        int b = data.remainingBytes() > 0 ? data.consumeByte() : 0;
        return b > 0 && b < HINTS.length ? HINTS[b] : null;
    }
}
