package dev.tailor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The order a payoff run times its executables in: every one in every round, each first in turn. */
class PayoffRoundsTest {

    @Test
    void eachRoundRunsEveryExecutableOnce_startingOneFurtherAlong() {
        List<String> rungs = List.of("v1", "v2", "v3", "v4");

        assertThat(PayoffRunner.inRound(rungs, 0)).containsExactly("v1", "v2", "v3", "v4");
        assertThat(PayoffRunner.inRound(rungs, 1)).containsExactly("v2", "v3", "v4", "v1");
        assertThat(PayoffRunner.inRound(rungs, 6)).containsExactly("v3", "v4", "v1", "v2");
    }

    @Test
    void overAsManyRoundsAsExecutables_eachTakesEveryPlaceOnce() {
        List<String> rungs = List.of("a", "b", "c", "d", "e");
        for (String rung : rungs) {
            List<Integer> places = new ArrayList<>();
            for (int round = 0; round < rungs.size(); round++) {
                places.add(PayoffRunner.inRound(rungs, round).indexOf(rung));
            }
            assertThat(places).as(rung).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        }
        assertThat(PayoffRunner.inRound(List.of(), 3)).isEmpty();
    }
}
