package dev.tailor.retention;

import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.tailor.testsupport.TempDirs;

/** The collector on the filesystem store. */
class RetentionTest extends RetentionContract {

    static final Path DATA_DIR = TempDirs.create("tailor-retention-test");

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("tailor.data-dir", DATA_DIR::toString);
    }

    @Override
    String adminToken() {
        return TempDirs.adminToken(DATA_DIR);
    }
}
