package dev.tailor.fingerprint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;


import dev.tailor.problem.Problem;
import dev.tailor.catalog.Arch;

/**
 * One entry point for every fingerprint form (API.md, "Targets and fingerprints"): picks the parser from the content
 * type and the content, and refuses binary or oversized input before any parser sees it.
 */
public final class FingerprintParser {

    /** Larger than any real /proc/cpuinfo (a 256-core server prints about 200 KiB). */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private FingerprintParser() {
    }

    /** The compact form {@code arch:feat,feat} of the {@code cpu=} query or the {@code Tailor-CPU} header. */
    public static CpuProfile parseCompact(String compact) {
        return CompactParser.parse(compact);
    }

    /**
     * @param contentType the request's media type, or null
     * @param hint        the architecture the caller asks for ({@code arch=} query), which decides how 32-bit views
     *                    of 64-bit Arm cores resolve; null when absent
     */
    public static CpuProfile parse(String contentType, byte[] body, String hint) {
        if (body == null || body.length == 0) {
            throw new FingerprintException(Problem.FINGERPRINT_MISSING, "send a fingerprint: a "
                    + "/proc/cpuinfo (text/plain), JSON, or the compact form in the cpu= query or Tailor-CPU header");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new FingerprintException(Problem.REQUEST_TOO_LARGE, "a fingerprint is at most " + MAX_BODY_BYTES + " bytes");
        }
        Optional<Arch> arch = hint(hint);
        String text = text(body);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        int semi = type.indexOf(';');
        type = (semi >= 0 ? type.substring(0, semi) : type).strip();
        if (type.equals("application/json") || type.endsWith("+json")) {
            return JsonFingerprintParser.parse(text, arch);
        }
        if (type.isEmpty() || type.equals("text/plain") || type.equals("*/*")) {
            if (text.stripLeading().startsWith("{")) {
                return JsonFingerprintParser.parse(text, arch);
            }
            if (CompactParser.looksCompact(text)) {
                return CompactParser.parse(text);
            }
            return CpuinfoParser.parse(text, arch);
        }
        throw new FingerprintException(Problem.FINGERPRINT_UNSUPPORTED_MEDIA_TYPE, "send text/plain (/proc/cpuinfo) or application/json, not " + JsonFingerprintParser.clip(type));
    }

    static Optional<Arch> hint(String hint) {
        if (hint == null || hint.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Arch.parse(hint).orElseThrow(() -> FingerprintException.unknownArch(
                "unknown architecture \"" + JsonFingerprintParser.clip(hint) + "\"; known: " + Arch.known())));
    }

    /** Fingerprints are text; NUL bytes, control characters or bad UTF-8 mean someone sent a binary. */
    private static String text(byte[] body) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw FingerprintException.unparseable("the fingerprint is not UTF-8 text");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
                throw FingerprintException.unparseable("the fingerprint contains binary data (control character at "
                        + "offset " + i + ")");
            }
        }
        return s;
    }
}
