package dev.tailor.build;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.tailor.store.BlobInfo;
import dev.tailor.store.BlobStoreException;
import dev.tailor.store.Digest;
import dev.tailor.store.Documents;

/**
 * Where builds live in the store: records at {@code builds/<key>.json}, logs at {@code builds/<key>.log}, images at
 * {@code images/sha256/<hex>} with {@code .sig} (64 raw bytes) and {@code .provenance.json} beside them.
 */
public final class BuildRecords {

    /** Logs are kept to this size; the rest is cut, saying so. */
    public static final int MAX_LOG_BYTES = 1024 * 1024;

    private final Documents documents;

    public BuildRecords(Documents documents) {
        this.documents = documents;
    }

    public static String recordKey(BuildKey key) {
        return "builds/" + key.hex() + ".json";
    }

    public static String logKey(BuildKey key) {
        return "builds/" + key.hex() + ".log";
    }

    public static String imageKey(Digest image) {
        return "images/" + image.path();
    }

    public static String signatureKey(Digest image) {
        return imageKey(image) + ".sig";
    }

    public static String provenanceKey(Digest image) {
        return imageKey(image) + ".provenance.json";
    }

    public Optional<BuildRecord> read(BuildKey key) {
        return documents.read(recordKey(key), BuildRecord.class);
    }

    public void write(BuildRecord record) {
        documents.write(recordKey(record.key()), record);
    }

    /** Recently written records, newest first, at most {@code max} read. */
    List<BuildRecord> recent(int max) {
        return documents.store().list("builds/").stream().filter(i -> i.key().endsWith(".json"))
                .sorted(Comparator.comparing(BlobInfo::lastModified).reversed()).limit(max)
                .map(i -> documents.read(i.key(), BuildRecord.class)).flatMap(Optional::stream).toList();
    }

    public void writeLog(BuildKey key, String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        documents.store().put(logKey(key), new ByteArrayInputStream(bytes));
    }

    public Optional<String> log(BuildKey key) {
        Optional<InputStream> in = documents.store().get(logKey(key));
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream s = in.get()) {
            return Optional.of(new String(s.readNBytes(MAX_LOG_BYTES + 4096), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BlobStoreException("cannot read the log of " + key, e);
        } catch (UncheckedIOException e) {
            throw new BlobStoreException("cannot read the log of " + key, e.getCause());
        }
    }
}
