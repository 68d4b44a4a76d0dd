package dev.tailor.channel;

import java.time.Instant;
import java.util.List;

import dev.tailor.store.Digest;

/** A channel pointer with its history, newest release first. */
public record ChannelDocument(String app, String channel, Digest bundle, Instant releasedAt, List<Release> history) {

    public ChannelDocument {
        history = List.copyOf(history);
    }

    /** One release: which bundle, when, and which token's name released it. */
    public record Release(Digest bundle, Instant releasedAt, String by) {
    }
}
