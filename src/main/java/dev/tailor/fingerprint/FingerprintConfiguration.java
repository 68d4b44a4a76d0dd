package dev.tailor.fingerprint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.tailor.store.BlobStore;

/**
 * Keeps {@link TargetStats} in the blob store: restored at start, flushed periodically off the request path and at
 * shutdown. Each flush adds this replica's new counts to the stored totals, so replicas sharing a store add up.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FingerprintConfiguration {

    @Bean
    ApplicationRunner targetStatsPersistence(TargetStats stats, BlobStore store) {
        TargetStats.Store document = new TargetStats.Store() {
            @Override
            public Optional<byte[]> read() {
                return store.get(TargetStats.KEY).map(in -> {
                    try (InputStream stream = in) {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }

            @Override
            public void write(byte[] bytes) {
                store.put(TargetStats.KEY, new ByteArrayInputStream(bytes));
            }
        };
        return args -> {
            try {
                document.read().ifPresent(stats::restore);
            } catch (RuntimeException e) {
                // unreadable statistics are only a lost hint; start counting afresh
            }
            stats.persistWith(document);
        };
    }
}
