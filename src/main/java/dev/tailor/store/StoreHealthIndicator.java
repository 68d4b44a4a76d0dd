package dev.tailor.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code store}: DOWN while the blob store cannot be reached, so a load
 * balancer or orchestrator sees what the API's 503 {@code store.unavailable} answers say. One HEAD of a key that
 * need not exist: cheap on disk and on S3.
 */
@Component("store")
class StoreHealthIndicator implements HealthIndicator {

    private final BlobStore store;

    StoreHealthIndicator(BlobStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        String type = store instanceof S3BlobStore ? "s3" : "filesystem";
        try {
            store.head("health/probe");
            return Health.up().withDetail("type", type).build();
        } catch (BlobStoreException e) {
            return Health.down().withDetail("type", type).withDetail("error", "unreachable").build();
        }
    }
}
