package dev.tailor.store;

import java.util.regex.Pattern;

/** The rules every store enforces on keys, so that a key maps safely onto a file path or an S3 object name. */
public final class BlobKey {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

    private BlobKey() {
    }

    public static String check(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024) {
            throw new IllegalArgumentException("bad blob key");
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("bad blob key: " + key);
            }
        }
        return key;
    }

    /** A prefix is a key, an empty string, or a key followed by a slash. */
    public static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }
}
