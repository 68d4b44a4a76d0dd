package dev.tailor.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class ThreadDumpOnTimeoutTest {

    @Test
    void recognisesTheTimeoutsTestsMeet_andNothingElse() {
        // WebTestClient's own words, wrapped as it wraps them
        assertThat(ThreadDumpOnTimeout.isTimeout(new IllegalStateException("Timeout on blocking read for 5000000000 NANOSECONDS",
                new TimeoutException("Did not observe any item or terminal signal within 5000ms")))).isTrue();
        assertThat(ThreadDumpOnTimeout.isTimeout(new AssertionError("wrapped", new TimeoutException()))).isTrue();
        assertThat(ThreadDumpOnTimeout.isTimeout(new AssertionError("expected 200 but was 500"))).isFalse();
        assertThat(ThreadDumpOnTimeout.isTimeout(new IllegalStateException((String) null))).isFalse();
    }

    @Test
    void dumpNamesEveryThreadWithItsStack() {
        String dump = ThreadDumpOnTimeout.dump("a test");
        assertThat(dump).startsWith("=== threads when \"a test\" timed out ===").endsWith("=== end of threads ===")
                .contains("\"" + Thread.currentThread().getName() + "\" RUNNABLE")
                .contains(ThreadDumpOnTimeoutTest.class.getName() + ".dumpNamesEveryThreadWithItsStack");
    }
}
