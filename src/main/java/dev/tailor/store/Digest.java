package dev.tailor.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A sha256 content address, written {@code sha256:<hex>} in documents and {@code sha256/<hex>} in paths. */
public record Digest(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a sha256 digest is 64 lowercase hex digits");
        }
    }

    /** Parses {@code sha256:<hex>}; empty for anything else. */
    public static Optional<Digest> parse(String text) {
        if (text == null || !text.startsWith("sha256:")) {
            return Optional.empty();
        }
        return ofHex(text.substring("sha256:".length()));
    }

    public static Optional<Digest> ofHex(String hex) {
        return hex != null && HEX.matcher(hex).matches() ? Optional.of(new Digest(hex)) : Optional.empty();
    }

    public static Digest of(byte[] sha256) {
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The path form, {@code sha256/<hex>}. */
    public String path() {
        return "sha256/" + hex;
    }

    @JsonCreator
    static Digest fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a sha256:<hex> digest"));
    }

    @JsonValue
    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
