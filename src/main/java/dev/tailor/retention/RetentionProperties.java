package dev.tailor.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tailor.retention.*}.
 *
 * @param keepReleases a bundle any channel pointed at in its last this many releases is kept (the channel's current
 *                     bundle always is)
 * @param grace        a bundle younger than this is kept, released or not
 * @param every        how often the collector runs on its own
 * @param scheduled    false: it never runs on its own ({@code POST /v1/admin/gc} still runs it)
 */
@ConfigurationProperties("tailor.retention")
public record RetentionProperties(@DefaultValue("10") int keepReleases, @DefaultValue("7d") Duration grace,
                                  @DefaultValue("6h") Duration every, @DefaultValue("true") boolean scheduled) {

    public RetentionProperties {
        if (keepReleases < 1) {
            throw new IllegalArgumentException("tailor.retention.keep-releases must be 1 or more");
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("tailor.retention.every must be positive (tailor.retention.scheduled=false "
                    + "turns the schedule off)");
        }
    }
}
