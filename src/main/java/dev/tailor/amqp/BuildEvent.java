package dev.tailor.amqp;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.tailor.builds.BuildJob;
import dev.tailor.builds.BuildRecord;

/**
 * What travels on the events exchange from a worker to every listening replica; {@code kind} says which fields are
 * set. The field names are the wire format: replicas of different versions read each other's events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BuildEvent(String kind, BuildJob job, Instant at, String key, String line, BuildRecord record) {

    static BuildEvent started(BuildJob job, Instant at) {
        return new BuildEvent("started", job, at, job.key(), null, null);
    }

    static BuildEvent log(String key, String line) {
        return new BuildEvent("log", null, null, key, line, null);
    }

    static BuildEvent stored(BuildRecord record) {
        return new BuildEvent("stored", null, null, record.id(), null, record);
    }

    static BuildEvent finished(BuildRecord record) {
        return new BuildEvent("finished", null, null, record.id(), null, record);
    }

    /** A worker let a copy of the job go without building it (built already): the copy left its queue. */
    static BuildEvent dropped(String key) {
        return new BuildEvent("dropped", null, null, key, null, null);
    }
}
