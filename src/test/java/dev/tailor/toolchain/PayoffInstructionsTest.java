package dev.tailor.toolchain;

import static dev.tailor.toolchain.TestToolchain.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tuned builds of the payoff kernels contain the instructions that make them fast, and the baselines do not:
 * the speed comes from choosing code at compile time for the target, not from anything else (checked by disassembly,
 * on any host: nothing here runs).
 */
class PayoffInstructionsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // kernel, tuned target, instructions it must contain (mnemonics: AVX-encoded forms and AT&T size
                // suffixes count), baseline target (none of them)
                Arguments.of("aes-gcm", "x86_64-skylake", List.of("v?aesenc", "v?aesenclast", "v?pclmulqdq"), "x86_64-v1"),
                Arguments.of("aes-gcm", "x86_64-icelake", List.of("vaesenc", "vpclmulqdq"), "x86_64-v3"),
                Arguments.of("aes-gcm", "aarch64-v8.0-crypto", List.of("aese", "aesmc", "pmull"), "aarch64-v8.0"),
                Arguments.of("sha256", "x86_64-icelake", List.of("sha256rnds2", "sha256msg1", "sha256msg2"), "x86_64-v4"),
                Arguments.of("sha256", "aarch64-v8.0-crypto", List.of("sha256h", "sha256su0"), "aarch64-v8.0"),
                Arguments.of("x25519", "x86_64-broadwell", List.of("mulx", "adcx", "adox"), "x86_64-v1"),
                Arguments.of("tls13-handshake", "x86_64-icelake", List.of("v?aesenc", "sha256rnds2", "mulx"), "x86_64-v1"),
                Arguments.of("chacha20-poly1305", "x86_64-v3", List.of("vpaddd\\s.*%ymm\\d+"), "x86_64-v1"));
    }

    @ParameterizedTest(name = "{0}: {1} has {2}, {3} has none")
    @MethodSource("cases")
    void tunedBuild_containsTheFastInstructions_andTheBaselineNone(String kernel, String tuned, List<String> wanted,
                                                                   String baseline) {
        // llvm-objdump decodes optional AArch64 instructions only when told they exist
        String[] features = tuned.startsWith("aarch64") ? new String[] {"--mattr=+aes,+sha2"} : new String[0];
        String fast = TestToolchain.disassemble(PayoffKernels.build(kernel, target(tuned), Flavor.LINUX).image(), features);
        String slow = TestToolchain.disassemble(PayoffKernels.build(kernel, target(baseline), Flavor.LINUX).image(),
                features);

        for (String insn : wanted) {
            Pattern p = Pattern.compile("\\s" + insn + "[bwlq]?\\b");
            assertThat(p.matcher(fast).find()).as(kernel + " for " + tuned + " uses " + insn).isTrue();
            assertThat(p.matcher(slow).find()).as(kernel + " for " + baseline + " uses no " + insn).isFalse();
        }
        assertThat(Arrays.asList(fast.split("\n")).size()).isGreaterThan(100);
    }
}
