package dev.tailor.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The collector on the filesystem store. */
class RetentionTest extends RetentionContract {

    static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("tailor-retention-test");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("tailor.data-dir", DATA_DIR::toString);
    }

    @Override
    String adminToken() {
        try {
            return Files.readString(DATA_DIR.resolve("admin-token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
