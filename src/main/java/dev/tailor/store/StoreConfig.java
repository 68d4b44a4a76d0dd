package dev.tailor.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.ObjectMapper;

/**
 * Chooses the blob store by {@code tailor.store.type}: {@code filesystem} (the embedded default, blobs under
 * {@code <tailor.data-dir>/blobs}) or {@code s3} ({@code tailor.store.s3.*}, see {@link S3Settings}).
 */
@Configuration(proxyBeanMethods = false)
class StoreConfig {

    @ConfigurationProperties("tailor.store")
    record StoreProperties(@DefaultValue("filesystem") String type, @DefaultValue("10s") Duration documentTtl,
                           @DefaultValue("100000") long documentCacheSize) {
    }

    // Spring infers close() on the actual instance: the S3 store's client is closed with the context.
    @Bean
    BlobStore blobStore(StoreProperties props, DataDir dataDir, S3Settings s3) {
        return switch (props.type()) {
            case "filesystem" -> new FileSystemBlobStore(dataDir.path().resolve("blobs"));
            case "s3" -> S3BlobStore.open(s3);
            default -> throw new IllegalStateException(
                    "tailor.store.type must be 'filesystem' or 's3', not '" + props.type() + "'");
        };
    }


    @Bean
    Documents documents(BlobStore store, ObjectMapper json, StoreProperties props) {
        return new Documents(store, json, props.documentTtl(), props.documentCacheSize());
    }

    @Bean
    DataDir dataDir(DataDir.Properties props) {
        return DataDir.create(props.dataDir());
    }
}
