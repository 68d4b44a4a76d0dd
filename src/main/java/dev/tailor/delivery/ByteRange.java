package dev.tailor.delivery;

import java.util.Optional;

/**
 * One satisfiable byte range of a representation, inclusive of both ends as in {@code Content-Range}.
 */
record ByteRange(long first, long last, long size) {

    ByteRange {
        if (first < 0 || last < first || last >= size) {
            throw new IllegalArgumentException("range " + first + "-" + last + " outside 0.." + size);
        }
    }

    long length() {
        return last - first + 1;
    }

    String contentRange() {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** What a {@code Range} header asks of a representation of the given size. */
    sealed interface Request permits Whole, Single, Unsatisfiable {
    }

    /** Serve the whole representation: no Range, a Range we ignore (malformed, other unit, several ranges). */
    record Whole() implements Request {
    }

    record Single(ByteRange range) implements Request {
    }

    record Unsatisfiable() implements Request {
    }

    private static final Whole WHOLE = new Whole();

    /**
     * Parses a {@code Range} header (RFC 9110 section 14). Several ranges are answered with the whole
     * representation, which the RFC allows (a server may ignore Range): it keeps multipart/byteranges out of every
     * client and edge, and resuming devices only ever ask for one range.
     */
    static Request parse(String header, long size) {
        if (header == null) {
            return WHOLE;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        String spec = h.substring(6).strip();
        if (spec.isEmpty() || spec.indexOf(',') >= 0) {
            return WHOLE;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        String firstText = spec.substring(0, dash).strip();
        String lastText = spec.substring(dash + 1).strip();
        Optional<Long> last = number(lastText);
        if (firstText.isEmpty()) {
            // a suffix range: the last N bytes
            if (last.isEmpty()) {
                return WHOLE;
            }
            long n = last.get();
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Single(new ByteRange(Math.max(0, size - n), size - 1, size));
        }
        Optional<Long> first = number(firstText);
        if (first.isEmpty() || (!lastText.isEmpty() && last.isEmpty())) {
            return WHOLE;
        }
        long f = first.get();
        if (last.isPresent() && last.get() < f) {
            return WHOLE; // syntactically invalid, so ignored, as the RFC says
        }
        if (f >= size) {
            return new Unsatisfiable();
        }
        return new Single(new ByteRange(f, last.map(v -> Math.min(v, size - 1)).orElse(size - 1), size));
    }

    private static Optional<Long> number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        return Optional.of(Long.parseLong(s));
    }
}
