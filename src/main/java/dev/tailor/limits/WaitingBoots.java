package dev.tailor.limits;

import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.tailor.problem.Problem;

/**
 * Boots waiting for a build, counted per client address, so that a flood of {@code ?wait=30} from one address holds
 * a bounded number of pending answers (a waiting boot costs no thread, but it costs memory and a connection). Past
 * the limit: 429 {@code boot.too_many_waiting}, at once.
 */
@Component
public class WaitingBoots {

    private final int perClient;
    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();

    public WaitingBoots(LimitsProperties limits) {
        this.perClient = limits.waitingBootsPerClient();
    }

    /** Takes a slot for the client, or refuses; the caller must {@link #leave} once its wait ends, however it ends. */
    public void enter(String client) {
        boolean[] admitted = {false};
        waiting.compute(client, (k, n) -> {
            int now = n == null ? 0 : n;
            admitted[0] = now < perClient;
            return admitted[0] ? now + 1 : n;
        });
        if (!admitted[0]) {
            throw Problem.BOOT_TOO_MANY_WAITING.because("This address already has " + perClient + " boots waiting for "
                    + "builds (tailor.limits.waiting-boots-per-client); retry without wait, or in a moment");
        }
    }

    public void leave(String client) {
        waiting.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Boots the client has waiting now. */
    public int waiting(String client) {
        return waiting.getOrDefault(client, 0);
    }
}
