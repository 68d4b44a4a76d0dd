package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

    /** The stored document, in memory. */
    static TargetStats.Store in(Map<String, byte[]> store) {
        return new TargetStats.Store() {
            @Override
            public Optional<byte[]> read() {
                return Optional.ofNullable(store.get(TargetStats.KEY));
            }

            @Override
            public void write(byte[] document) {
                store.put(TargetStats.KEY, document);
            }
        };
    }

    @Test
    void flush_persistsOnlyWhenChanged_andRestoreReadsItBack() {
        TargetStats stats = new TargetStats();
        Map<String, byte[]> store = new HashMap<>();
        stats.persistWith(in(store));
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
        stats.persistWith(new TargetStats.Store() {
            @Override
            public Optional<byte[]> read() {
                throw new IllegalStateException("store down");
            }

            @Override
            public void write(byte[] document) {
                throw new IllegalStateException("store down");
            }
        });
        stats.flush();
        assertThat(stats.top("hello", 1)).containsExactly(new TargetStats.TargetCount("x86_64-v1", 1));
        Map<String, byte[]> store = new HashMap<>();
        stats.persistWith(in(store));
        stats.flush();
        assertThat(new String(store.get(TargetStats.KEY), StandardCharsets.UTF_8))
                .isEqualTo("{\"apps\":{\"hello\":{\"x86_64-v1\":1}}}");
    }

    @Test
    void replicasSharingAStore_addUpTheirCounts_andEachRanksByTheFleetsTotals() {
        Map<String, byte[]> shared = new HashMap<>();
        TargetStats a = new TargetStats();
        TargetStats b = new TargetStats();
        a.persistWith(in(shared));
        b.persistWith(in(shared));
        for (int i = 0; i < 3; i++) {
            a.record("hello", "x86_64-v3");
        }
        for (int i = 0; i < 5; i++) {
            b.record("hello", "aarch64-v8.2");
        }
        b.record("hello", "x86_64-v3");

        a.flush();
        b.flush();
        a.record("hello", "x86_64-v3");
        a.flush();

        assertThat(new String(shared.get(TargetStats.KEY), StandardCharsets.UTF_8))
                .isEqualTo("{\"apps\":{\"hello\":{\"aarch64-v8.2\":5,\"x86_64-v3\":5}}}");
        assertThat(a.top("hello", 2)).containsExactly(new TargetStats.TargetCount("aarch64-v8.2", 5),
                new TargetStats.TargetCount("x86_64-v3", 5));
        b.record("hello", "aarch64-v8.2");
        assertThat(b.top("hello", 1)).as("b knows the totals up to its flush, plus its own since")
                .containsExactly(new TargetStats.TargetCount("aarch64-v8.2", 6));
    }
}
