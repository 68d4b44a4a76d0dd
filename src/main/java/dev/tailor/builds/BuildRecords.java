package dev.tailor.builds;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.tailor.store.BlobStoreException;
import dev.tailor.store.Digest;
import dev.tailor.store.Documents;
import dev.tailor.store.Layout;

/**
 * Where builds live in the store: records at {@code builds/<key>.json}, logs at {@code builds/<key>.log}, images at
 * {@code images/sha256/<hex>} with {@code .sig} (64 raw bytes) and {@code .provenance.json} beside them, and an
 * index of queued builds, newest first, under {@code meta/build-index/}.
 */
public final class BuildRecords {

    /** Logs are kept to this size; the rest is cut, saying so. */
    public static final int MAX_LOG_BYTES = 1024 * 1024;

    private final Documents documents;

    public BuildRecords(Documents documents) {
        this.documents = documents;
    }

    public Optional<BuildRecord> read(BuildKey key) {
        return documents.read(Layout.buildRecord(key.hex()), BuildRecord.class);
    }

    public void write(BuildRecord record) {
        documents.write(Layout.buildRecord(record.id()), record);
    }

    /**
     * Notes that a build was queued, in two empty index entries whose names sort newest first: one for all builds,
     * one for the app's. Listing reads names, then only as many records as it shows.
     */
    public void index(BuildRecord queued) {
        String name = String.format(Locale.ROOT, "%019d-%s", Long.MAX_VALUE - queued.queuedAt().toEpochMilli(),
                queued.id());
        documents.store().put(Layout.buildIndex(null) + name, InputStream.nullInputStream());
        documents.store().put(Layout.buildIndex(queued.app()) + name, InputStream.nullInputStream());
    }

    /** The keys of builds queued, newest first, of one app or (null) of all; a build queued again appears once. */
    public List<BuildKey> recent(String app) {
        String prefix = Layout.buildIndex(app);
        Set<BuildKey> keys = new LinkedHashSet<>();
        documents.store().list(prefix).stream().map(i -> i.key().substring(prefix.length())).sorted()
                .map(name -> BuildKey.parse(name.substring(name.indexOf('-') + 1))).flatMap(Optional::stream)
                .forEach(keys::add);
        return List.copyOf(keys);
    }

    /**
     * Forgets a build: its record, its log and its index entries (the names given, as listed under
     * {@link Layout#buildIndex}). Its image is the caller's to delete: another build may share it.
     */
    public void delete(BuildRecord record, String app, List<String> indexNames) {
        for (String name : indexNames) {
            documents.store().delete(Layout.buildIndex(null) + name);
            documents.store().delete(Layout.buildIndex(app) + name);
        }
        documents.delete(Layout.buildLog(record.id()));
        documents.delete(Layout.buildRecord(record.id()));
    }

    public void writeLog(BuildKey key, String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        documents.store().put(Layout.buildLog(key.hex()), new ByteArrayInputStream(bytes));
    }

    public Optional<String> log(BuildKey key) {
        Optional<InputStream> in = documents.store().get(Layout.buildLog(key.hex()));
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
