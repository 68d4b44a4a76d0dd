package dev.tailor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.tailor.problem.Problem;
import dev.tailor.problem.TailorException;
import dev.tailor.testsupport.SettableClock;

class TokenRatesTest {

    private final SettableClock clock = new SettableClock(java.time.Instant.parse("2026-12-01T00:00:00Z"));
    private final TokenRates rates = new TokenRates(new LimitsProperties(3, 1, 0, DataSize.ofGigabytes(1), 1), clock);

    @Test
    void aBurstOfTheMinutesAllowance_thenOneMoreEvery60OverNSeconds() {
        for (int i = 0; i < 3; i++) {
            rates.call("ci");
        }
        assertThatThrownBy(() -> rates.call("ci")).isInstanceOfSatisfying(TailorException.class, e -> {
            assertThat(e.problem()).isEqualTo(Problem.RATE_LIMITED);
            assertThat(e.retryAfterSeconds()).isEqualTo(20);
        });
        rates.call("someone-else");
        clock.advance(Duration.ofSeconds(19));
        assertThatThrownBy(() -> rates.call("ci")).isInstanceOfSatisfying(TailorException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
        clock.advance(Duration.ofSeconds(1));
        rates.call("ci");
        assertThatThrownBy(() -> rates.call("ci")).isInstanceOf(TailorException.class);
    }

    @Test
    void buildStarts_areCountedApartFromCalls() {
        rates.buildStarted("ci");
        rates.call("ci");
        assertThatThrownBy(() -> rates.buildStarted("ci")).isInstanceOfSatisfying(TailorException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(60));
    }

    @Test
    void zeroMeansNoLimit() {
        TokenRates unlimited = new TokenRates(new LimitsProperties(0, 0, 0, DataSize.ofGigabytes(1), 1), clock);
        for (int i = 0; i < 10_000; i++) {
            unlimited.call("ci");
        }
    }

    @Test
    void waitingBoots_areCountedPerAddress_andGivenBack() {
        WaitingBoots w = new WaitingBoots(new LimitsProperties(0, 0, 0, DataSize.ofGigabytes(1), 2));
        w.enter("10.0.0.1");
        w.enter("10.0.0.1");
        w.enter("10.0.0.2");
        assertThatThrownBy(() -> w.enter("10.0.0.1")).isInstanceOfSatisfying(TailorException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.BOOT_TOO_MANY_WAITING));
        assertThat(w.waiting("10.0.0.1")).isEqualTo(2);
        w.leave("10.0.0.1");
        w.enter("10.0.0.1");
        w.leave("10.0.0.1");
        w.leave("10.0.0.1");
        w.leave("10.0.0.2");
        assertThat(w.waiting("10.0.0.1")).isZero();
        assertThat(w.waiting("10.0.0.2")).isZero();
    }
}
