package dev.tailor.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tailor.problem.Problem;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Calls and build starts per token per minute, as token buckets (Bucket4j) that refill steadily: a token may spend
 * its minute's allowance in a burst, then gets one more every 60/n seconds. Past it: 429 {@code request.rate_limited}
 * with the exact {@code Retry-After}. Counted per replica.
 */
@Component
public class TokenRates {

    private final LimitsProperties limits;
    private final TimeMeter time;
    private final Cache<String, Bucket> management = Caffeine.newBuilder().expireAfterAccess(10, TimeUnit.MINUTES)
            .maximumSize(100_000).build();
    private final Cache<String, Bucket> builds = Caffeine.newBuilder().expireAfterAccess(10, TimeUnit.MINUTES)
            .maximumSize(100_000).build();

    public TokenRates(LimitsProperties limits, Clock clock) {
        this.limits = limits;
        this.time = new ClockTime(clock);
    }

    /** One authenticated call by the token named {@code caller}. */
    public void call(String caller) {
        take(management, caller, limits.managementPerMinute(), "calls", "management-per-minute");
    }

    /** One build (or retry, or payoff run) started by the token named {@code caller}. */
    public void buildStarted(String caller) {
        take(builds, caller, limits.buildsPerMinute(), "build starts", "builds-per-minute");
    }

    private void take(Cache<String, Bucket> buckets, String caller, int perMinute, String what, String setting) {
        if (perMinute <= 0) {
            return;
        }
        Bucket bucket = buckets.get(caller, k -> Bucket.builder().withCustomTimePrecision(time)
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
            throw Problem.RATE_LIMITED.because("The token '" + caller + "' made more " + what + " in the last minute "
                    + "than tailor.limits." + setting + " (" + perMinute + ") allows; retry in " + seconds + " s")
                    .retryAfter((int) Math.min(Integer.MAX_VALUE, seconds));
        }
    }

    /** The one Clock of the service, as Bucket4j's time source, so tests move time instead of sleeping. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return TimeUnit.MILLISECONDS.toNanos(clock.millis());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
