package dev.tailor.builds;

/** The architecture's build queue is at capacity: try again later (the API answers 503 with Retry-After). */
public class BuildQueueFullException extends RuntimeException {

    private final String arch;

    public BuildQueueFullException(String arch, int capacity) {
        super("the build queue for " + arch + " is full (" + capacity + " waiting)");
        this.arch = arch;
    }

    public String arch() {
        return arch;
    }
}
