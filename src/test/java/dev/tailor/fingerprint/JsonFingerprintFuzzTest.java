package dev.tailor.fingerprint;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the JSON fingerprints (feature list, raw CPUID leaves through the CPUID decoder, AArch64
 * hwcaps), as {@code POST /v1/fingerprints/resolve} reads them with {@code Content-Type: application/json}. The
 * last byte picks the {@code arch=} hint, as in {@link CpuinfoFuzzTest}. Checks: {@link FingerprintInvariants}.
 */
class JsonFingerprintFuzzTest {

    @FuzzTest(maxDuration = "6s")
    void parse(FuzzedDataProvider data) {
        String hint = CpuinfoFuzzTest.hint(data);
        byte[] body = data.consumeRemainingAsBytes();
        FingerprintInvariants.check(() -> FingerprintParser.parse("application/json", body, hint));
    }
}
