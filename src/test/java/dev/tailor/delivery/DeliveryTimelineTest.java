package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.tailor.testsupport.SettableClock;

class DeliveryTimelineTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-02T10:00:30Z"));
    private final DeliveryTimeline timeline = new DeliveryTimeline(clock);

    @Test
    void anUnknownApp_hasAnHourOfZeroMinutes_endingWithTheCurrentOne() {
        DeliveryTimeline.Timeline t = timeline.of("nobody");
        assertThat(t.app()).isEqualTo("nobody");
        assertThat(t.bucketSeconds()).isEqualTo(60);
        assertThat(t.points()).hasSize(60);
        assertThat(t.points().get(59).at()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(t.points().get(0).at()).isEqualTo(Instant.parse("2026-12-02T09:01:00Z"));
        assertThat(t.points()).allMatch(p -> p.imagesServed() == 0 && p.bootAnswers() == 0 && p.edgePurges() == 0);
    }

    @Test
    void counts_landInTheirMinute_perKind_perApp() {
        timeline.imageServed("hello");
        timeline.bootAnswered("hello");
        timeline.bootAnswered("hello");
        timeline.edgePurged("other");
        clock.advance(Duration.ofSeconds(40)); // 10:01:10, the next minute
        timeline.imageServed("hello");

        var points = timeline.of("hello").points();
        assertThat(points.get(58)).isEqualTo(new DeliveryTimeline.Point(Instant.parse("2026-12-02T10:00:00Z"), 1, 2, 0));
        assertThat(points.get(59)).isEqualTo(new DeliveryTimeline.Point(Instant.parse("2026-12-02T10:01:00Z"), 1, 0, 0));
        assertThat(timeline.of("other").points().get(58).edgePurges()).isEqualTo(1);
    }

    @Test
    void aMinute_leavesTheWindowAfterAnHour_andItsBucketIsReusedFromZero() {
        timeline.imageServed("hello");
        timeline.imageServed("hello");
        clock.advance(Duration.ofMinutes(59));
        assertThat(timeline.of("hello").points().get(0).imagesServed()).isEqualTo(2); // the oldest minute shown

        clock.advance(Duration.ofMinutes(1)); // the same slot of the ring, an hour later
        assertThat(timeline.of("hello").points()).allMatch(p -> p.imagesServed() == 0);
        timeline.imageServed("hello");
        var points = timeline.of("hello").points();
        assertThat(points.get(59)).isEqualTo(new DeliveryTimeline.Point(Instant.parse("2026-12-02T11:00:00Z"), 1, 0, 0));
        assertThat(points.stream().mapToLong(DeliveryTimeline.Point::imagesServed).sum()).isEqualTo(1);
    }

    @Test
    void aLongSilence_showsNoStaleCounts() {
        timeline.bootAnswered("hello");
        clock.advance(Duration.ofHours(5).plusMinutes(3));
        assertThat(timeline.of("hello").points()).allMatch(p -> p.bootAnswers() == 0);
    }
}
