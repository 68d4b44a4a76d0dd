package dev.tailor.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Build directories kept ready between builds, each with sandboxes started ahead (see {@link Workspace}). A build
 * takes one (or a new one when none is ready) and gives it back; it is emptied at once and, while fewer than
 * {@code keep} are ready, its sandboxes are topped up in the background.
 *
 * <p>Sandboxes are started by one long-lived thread: bubblewrap's {@code --die-with-parent} follows the thread that
 * started it, so a sandbox started from a pool thread that later ends would die with it.
 */
final class Workspaces implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Workspaces.class);

    private final Path root;
    private final Path cache;
    private final SandboxLimits limits;
    private final int keep;
    private final int sandboxes;
    private final BlockingQueue<Workspace> idle = new LinkedBlockingQueue<>();
    private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-starter");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /**
     * @param keep      workspaces kept ready (0: every build makes its own and starts its sandboxes as it goes)
     * @param sandboxes sandboxes started ahead in each ready workspace (a one-source app runs three commands)
     */
    Workspaces(Path root, Path cache, SandboxLimits limits, int keep, int sandboxes) {
        this.root = root.toAbsolutePath().normalize();
        this.cache = cache;
        this.limits = limits;
        this.keep = keep;
        this.sandboxes = sandboxes;
        for (int i = 0; i < keep; i++) {
            starter.execute(() -> {
                try {
                    ready(create());
                } catch (RuntimeException e) {
                    log.warn("cannot prepare a build directory: {}", e.toString());
                }
            });
        }
    }

    /** A ready workspace, or a new one with no sandbox started yet. */
    Workspace acquire() {
        Workspace w = idle.poll();
        return w != null ? w : create();
    }

    /** Empties the workspace and keeps it for a later build, or deletes it when enough are kept. */
    void release(Workspace w) {
        if (closed || idle.size() >= keep || !w.clean()) {
            w.discard();
            return;
        }
        starter.execute(() -> ready(w));
    }

    int ready() {
        return idle.size();
    }

    @Override
    public void close() {
        closed = true;
        starter.shutdownNow();
        Workspace w;
        while ((w = idle.poll()) != null) {
            w.discard();
        }
    }

    private Workspace create() {
        try {
            return Workspace.create(root.resolve(UUID.randomUUID().toString()), cache, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a build directory under " + root, e);
        }
    }

    /** Runs on the starter thread: tops up the workspace's sandboxes, then offers it. Never throws (see above). */
    private void ready(Workspace w) {
        try {
            if (closed || idle.size() >= keep) {
                w.discard();
                return;
            }
            w.prestart(sandboxes);
            idle.add(w);
            if (closed && idle.remove(w)) {
                w.discard();
            }
        } catch (RuntimeException e) {
            log.warn("cannot start sandboxes ahead: {}", e.toString());
            w.discard();
        }
    }
}
