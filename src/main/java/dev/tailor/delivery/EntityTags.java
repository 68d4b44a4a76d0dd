package dev.tailor.delivery;

/** Matching of {@code If-None-Match} and {@code If-Range} against a strong entity tag (RFC 9110 section 13). */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * Whether an {@code If-None-Match} list names the tag. Uses the weak comparison the RFC prescribes for this
     * header, so {@code W/"x"} matches {@code "x"}; {@code *} matches any existing representation.
     */
    static boolean noneMatchHits(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a Range may be honoured under an {@code If-Range} precondition: only when it is our strong tag. A date
     * never matches because images carry no Last-Modified, so the client cannot hold a valid one.
     */
    static boolean ifRangeHolds(String header, String etag) {
        return header == null || header.strip().equals(etag);
    }
}
