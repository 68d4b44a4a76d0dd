package dev.tailor.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The process's own directory ({@code tailor.data-dir}): blobs in the embedded mode, keys, tokens, caches. */
public record DataDir(Path path) {

    @ConfigurationProperties("tailor")
    public record Properties(@DefaultValue("cache") Path dataDir) {
    }

    static DataDir create(Path path) {
        try {
            return new DataDir(Files.createDirectories(path).toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + path, e);
        }
    }
}
