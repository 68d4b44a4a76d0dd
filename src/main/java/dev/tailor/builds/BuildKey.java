package dev.tailor.builds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.tailor.store.Digest;
import dev.tailor.toolchain.Flavor;

/**
 * The build's id: sha256 over the bundle digest, the target id, the flavor and the toolchain id, so one request names
 * one build. An image's key frames no flavor, so the keys of images built before flavors existed stay the same.
 */
public record BuildKey(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public BuildKey {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a build key is 64 lowercase hex digits");
        }
    }

    public static BuildKey of(Digest bundle, String targetId, String toolchainId) {
        return of(bundle, targetId, Flavor.IMAGE, toolchainId);
    }

    public static BuildKey of(Digest bundle, String targetId, Flavor flavor, String toolchainId) {
        MessageDigest md = Digest.sha256();
        String[] parts = flavor == Flavor.IMAGE
                ? new String[] {"tailor-build-v1", bundle.toString(), targetId, toolchainId}
                : new String[] {"tailor-build-v1", bundle.toString(), targetId, "flavor=" + flavor.id(), toolchainId};
        for (String part : parts) {
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
