package dev.tailor.build;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.tailor.store.Digest;

/** The build's id: sha256 over the bundle digest, the target id and the toolchain id, so one request names one build. */
public record BuildKey(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public BuildKey {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a build key is 64 lowercase hex digits");
        }
    }

    public static BuildKey of(Digest bundle, String targetId, String toolchainId) {
        MessageDigest md = Digest.sha256();
        for (String part : new String[] {"tailor-build-v1", bundle.toString(), targetId, toolchainId}) {
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            // length-prefixed, so no two different inputs frame alike
            md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            md.update(b);
        }
        return new BuildKey(HexFormat.of().formatHex(md.digest()));
    }

    public static Optional<BuildKey> parse(String hex) {
        return hex != null && HEX.matcher(hex).matches() ? Optional.of(new BuildKey(hex)) : Optional.empty();
    }

    @Override
    public String toString() {
        return hex;
    }
}
