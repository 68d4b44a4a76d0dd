package dev.tailor.bundle;

import java.util.Arrays;
import java.util.Optional;

/** The archive types an upload may use, recognised by media type and confirmed by their magic bytes. */
enum ArchiveFormat {
    TAR_GZ("application/gzip", "application/x-gzip", "application/x-compressed-tar", "application/x-tgz"),
    TAR("application/x-tar", "application/tar"),
    ZIP("application/zip", "application/x-zip-compressed", "application/x-zip");

    private final String[] mediaTypes;

    ArchiveFormat(String... mediaTypes) {
        this.mediaTypes = mediaTypes;
    }

    /**
     * The format a media type ({@code type/subtype}, no parameters) names; empty for {@code application/octet-stream},
     * which is sniffed instead.
     */
    static Optional<ArchiveFormat> forMediaType(String t) {
        return Arrays.stream(values()).filter(f -> Arrays.asList(f.mediaTypes).contains(t)).findFirst();
    }

    /** The format the first bytes of an archive show, if any. */
    static Optional<ArchiveFormat> sniff(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Optional.of(TAR_GZ);
        }
        if (length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            return Optional.of(ZIP);
        }
        if (length >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
            return Optional.of(TAR);
        }
        return Optional.empty();
    }
}
