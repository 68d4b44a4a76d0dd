package dev.tailor.fingerprint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.tailor.store.BlobStore;

/**
 * Keeps {@link TargetStats} in the blob store: restored at start, flushed periodically off the request path and
 * at shutdown. With several API replicas the last writer's counts win; they are a popularity hint for prebuilds,
 * not an audit log.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FingerprintConfiguration {

    @Bean
    ApplicationRunner targetStatsPersistence(TargetStats stats, BlobStore store) {
        return args -> {
            store.get(TargetStats.KEY).ifPresent(in -> {
                try (InputStream stream = in) {
                    stats.restore(stream.readAllBytes());
                } catch (IOException e) {
                    // unreadable statistics are only a lost hint; start counting afresh
                }
            });
            stats.persistWith((key, bytes) -> store.put(key, new ByteArrayInputStream(bytes)));
        };
    }
}
