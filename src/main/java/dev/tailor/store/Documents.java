package dev.tailor.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Small JSON documents (bundle documents, channel pointers, build records) kept in the {@link BlobStore}, with
 * the hot ones cached. Local writes update the cache at once; entries also expire after a short time so that a
 * replica sees another replica's writes within that time.
 */
public final class Documents {

    private static final Logger log = LoggerFactory.getLogger(Documents.class);

    private static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

    private final BlobStore store;
    private final ObjectMapper json;
    private final Cache<String, byte[]> cache;
    private final Cache<String, Parsed> parsed;

    public Documents(BlobStore store, ObjectMapper json, Duration ttl, long maxEntries) {
        this.store = store;
        this.json = json;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
        this.parsed = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
    }

    /** The document, parsed; parsed values are cached too (documents are records: immutable, safe to share). */
    public <T> Optional<T> read(String key, Class<T> type) {
        Parsed hit = parsed.getIfPresent(key);
        if (hit != null && hit.value().getClass() == type) {
            return Optional.of(type.cast(hit.value()));
        }
        Optional<T> value;
        try {
            value = raw(key).map(bytes -> json.readValue(bytes, type));
        } catch (JacksonException e) {
            cache.invalidate(key);
            log.warn("the document {} is damaged: {}", key, e.getOriginalMessage());
            throw new CorruptDocumentException(key, e);
        }
        value.ifPresent(v -> parsed.put(key, new Parsed(v)));
        return value;
    }

    /** For listings: a damaged document is left out (and logged), so one bad object does not hide the rest. */
    public <T> Optional<T> readListed(String key, Class<T> type) {
        try {
            return read(key, type);
        } catch (CorruptDocumentException e) {
            return Optional.empty();
        }
    }

    /** The document only if it is parsed in memory now: for callers that must not block on the store. */
    public <T> Optional<T> cached(String key, Class<T> type) {
        Parsed hit = parsed.getIfPresent(key);
        return hit != null && hit.value().getClass() == type ? Optional.of(type.cast(hit.value())) : Optional.empty();
    }

    private record Parsed(Object value) {
    }

    public void write(String key, Object value) {
        byte[] bytes = json.writeValueAsBytes(value);
        store.put(key, new ByteArrayInputStream(bytes));
        cache.put(key, bytes);
        parsed.put(key, new Parsed(value)); // what was written is what a read would parse: records are values
    }

    /** Writes the document only if none exists yet. @return true when this call created it */
    public boolean create(String key, Object value) {
        byte[] bytes = json.writeValueAsBytes(value);
        boolean created = store.putIfAbsent(key, new ByteArrayInputStream(bytes)).isPresent();
        if (created) {
            cache.put(key, bytes);
            parsed.put(key, new Parsed(value));
        } else {
            cache.invalidate(key);
            parsed.invalidate(key);
        }
        return created;
    }

    /** Deletes the document and forgets it here at once (other replicas forget it within the cache's TTL). */
    public boolean delete(String key) {
        boolean deleted = store.delete(key);
        cache.invalidate(key);
        parsed.invalidate(key);
        return deleted;
    }

    public BlobStore store() {
        return store;
    }

    private Optional<byte[]> raw(String key) {
        byte[] cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<InputStream> in = store.get(key);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            byte[] bytes = stream.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw new BlobStoreException("document " + key + " is larger than " + MAX_DOCUMENT_BYTES,
                        null);
            }
            cache.put(key, bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new BlobStoreException("cannot read " + key, e);
        } catch (UncheckedIOException e) {
            throw new BlobStoreException("cannot read " + key, e.getCause());
        }
    }
}
