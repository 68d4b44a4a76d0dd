package dev.tailor.amqp;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;

import dev.tailor.builds.BuildListener;
import tools.jackson.databind.ObjectMapper;

/**
 * A listening replica's side of the events exchange: each event, whichever worker sent it, to this replica's
 * listeners (its waiting requests, its records and metrics). A listener that throws does not keep the others from
 * hearing.
 */
final class EventReceiver {

    private static final Logger log = LoggerFactory.getLogger(EventReceiver.class);

    private final ObjectMapper json;
    private final List<BuildListener> listeners;
    private final Consumer<String> finished;
    private final Consumer<String> dropped;

    /**
     * @param finished told the key of every build that finished, before the listeners
     * @param dropped  told the key of every copy of a job a worker let go without building it
     */
    EventReceiver(ObjectMapper json, List<BuildListener> listeners, Consumer<String> finished,
                  Consumer<String> dropped) {
        this.json = json;
        this.listeners = listeners;
        this.finished = finished;
        this.dropped = dropped;
    }

    void onMessage(Message message) {
        BuildEvent e;
        try {
            e = json.readValue(message.getBody(), BuildEvent.class);
        } catch (RuntimeException ex) {
            log.warn("ignoring an unreadable build event: {}", ex.toString());
            return;
        }
        switch (e.kind()) {
            case "started" -> listeners.forEach(l -> safely(() -> l.started(e.job(), e.at())));
            case "log" -> listeners.forEach(l -> safely(() -> l.log(e.key(), e.line())));
            case "stored" -> listeners.forEach(l -> safely(() -> l.imageStored(e.record())));
            case "finished" -> {
                finished.accept(e.key());
                listeners.forEach(l -> safely(() -> l.finished(e.record())));
            }
            case "dropped" -> dropped.accept(e.key());
            default -> log.debug("ignoring build event {}", e.kind());
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("a build listener failed", e);
        }
    }
}
