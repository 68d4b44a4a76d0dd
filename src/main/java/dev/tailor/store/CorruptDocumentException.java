package dev.tailor.store;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;

/**
 * A stored document that does not parse (truncated by a disk that lied about a write, edited by hand, damaged in a
 * bucket): an error for that object only. Listings skip it with a warning; a new write replaces it.
 */
public class CorruptDocumentException extends TailorException {

    private final String key;

    public CorruptDocumentException(String key, Throwable cause) {
        super(Problem.STORE_CORRUPT, "The stored document " + key + " is damaged and cannot be read; everything else "
                + "still works. Writing it again (a release, an upload) replaces it.", "corrupt document " + key, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
