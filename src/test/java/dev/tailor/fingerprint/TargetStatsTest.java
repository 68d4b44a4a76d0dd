package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class TargetStatsTest {

    @Test
    void record_countsConcurrentlyWithoutLosingIncrements() throws InterruptedException {
        TargetStats stats = new TargetStats();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4000; i++) {
            String target = i % 4 == 0 ? "x86_64-v3" : "x86_64-v2";
            pool.execute(() -> stats.record("hello", target));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stats.top("hello", 5)).containsExactly(new TargetStats.TargetCount("x86_64-v2", 3000),
                new TargetStats.TargetCount("x86_64-v3", 1000));
        assertThat(stats.top("hello", 1)).hasSize(1);
        assertThat(stats.top("other", 5)).isEmpty();
    }

    @Test
    void invalidAppNames_areNotCounted() {
        TargetStats stats = new TargetStats();
        stats.record("../etc", "x86_64-v1");
        stats.record("", "x86_64-v1");
        assertThat(stats.apps()).isEmpty();
    }

    @Test
    void flush_persistsOnlyWhenChanged_andRestoreReadsItBack() {
        TargetStats stats = new TargetStats();
        Map<String, byte[]> store = new HashMap<>();
        stats.persistWith(store::put);
        stats.flush();
        assertThat(store).isEmpty();
        stats.record("hello", "aarch64-v8.2-crypto");
        stats.record("hello", "aarch64-v8.2-crypto");
        stats.record("demo", "armv7-neon-vfpv4");
        stats.flush();
        assertThat(new String(store.get(TargetStats.KEY), StandardCharsets.UTF_8))
                .isEqualTo("{\"apps\":{\"demo\":{\"armv7-neon-vfpv4\":1},\"hello\":{\"aarch64-v8.2-crypto\":2}}}");
        store.clear();
        stats.flush();
        assertThat(store).isEmpty();

        TargetStats restarted = new TargetStats();
        restarted.restore(stats.snapshot());
        restarted.restore("not json".getBytes());
        assertThat(restarted.top("hello", 3)).containsExactly(new TargetStats.TargetCount("aarch64-v8.2-crypto", 2));
    }

    @Test
    void failingSink_keepsTheCountsDirtyForTheNextFlush() {
        TargetStats stats = new TargetStats();
        stats.record("hello", "x86_64-v1");
        stats.persistWith((k, v) -> {
            throw new IllegalStateException("store down");
        });
        stats.flush();
        Map<String, byte[]> store = new HashMap<>();
        stats.persistWith(store::put);
        stats.flush();
        assertThat(store).containsKey(TargetStats.KEY);
    }
}
