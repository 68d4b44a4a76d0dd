package dev.tailor.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.ObjectMapper;

/** Wires the embedded default: blobs on local disk under {@code tailor.data-dir}. */
@Configuration(proxyBeanMethods = false)
class StoreConfig {

    @ConfigurationProperties("tailor.store")
    record StoreProperties(@DefaultValue("filesystem") String type, @DefaultValue("10s") Duration documentTtl,
                           @DefaultValue("100000") long documentCacheSize) {
    }

    @Bean
    BlobStore blobStore(DataDir dataDir) {
        return new FileSystemBlobStore(dataDir.path().resolve("blobs"));
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
