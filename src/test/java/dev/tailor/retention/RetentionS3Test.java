package dev.tailor.retention;

import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.tailor.testsupport.S3ProxyServer;
import dev.tailor.testsupport.TempDirs;

/** The collector on an S3-compatible store (a real S3Proxy), with the workers in process. */
class RetentionS3Test extends RetentionContract {

    static final Path DATA_DIR = TempDirs.create("tailor-retention-s3-test");

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        registry.add("tailor.data-dir", DATA_DIR::toString);
        registry.add("tailor.store.type", () -> "s3");
        registry.add("tailor.store.s3.endpoint", () -> S3ProxyServer.shared().endpoint().toString());
        registry.add("tailor.store.s3.bucket", () -> "tailor-retention");
        registry.add("tailor.store.s3.access-key", () -> S3ProxyServer.ACCESS_KEY);
        registry.add("tailor.store.s3.secret-key", () -> S3ProxyServer.SECRET_KEY);
    }

    @Override
    String adminToken() {
        return TempDirs.adminToken(DATA_DIR);
    }
}
