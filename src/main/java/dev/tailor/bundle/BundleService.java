package dev.tailor.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.springframework.stereotype.Service;

import dev.tailor.store.BlobInfo;
import dev.tailor.store.DataDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;

import dev.tailor.limits.LimitsProperties;
import dev.tailor.problem.Problem;
import dev.tailor.store.Digest;
import dev.tailor.store.Directories;
import dev.tailor.store.Documents;
import dev.tailor.store.Layout;

/**
 * Stores bundles by content. The canonical tar goes in first and the documents after it, each written only if
 * absent, so racing identical uploads converge on one bundle and a crash between the writes is repaired by the
 * next upload of the same content.
 *
 * <p>Layout: {@code bundles/sha256/<hex>} (canonical tar), {@code meta/bundles/sha256/<hex>.json} (document),
 * {@code meta/app-bundles/<app>/<hex>.json} (per-app index), {@code meta/apps/<app>.json} (the app exists).
 */
@Service
public class BundleService {

    private final Documents documents;
    private final BundleNormalizer normalizer;
    private final Path work;
    private final Clock clock;
    private final int maxBundlesPerApp;
    private final long maxBytesPerApp;

    /** Without quotas per app (tests of other stages). */
    public BundleService(Documents documents, BundleLimits limits, DataDir dataDir, Clock clock) {
        this(documents, limits, dataDir, clock, new LimitsProperties(0, 0, 0, DataSize.ofBytes(Long.MAX_VALUE), 1));
    }

    @Autowired
    public BundleService(Documents documents, BundleLimits limits, DataDir dataDir, Clock clock, LimitsProperties quotas) {
        this.maxBundlesPerApp = quotas.appBundles();
        this.maxBytesPerApp = quotas.appBytes().toBytes();
        this.clock = clock;
        this.documents = documents;
        this.normalizer = new BundleNormalizer(limits);
        this.work = dataDir.path().resolve("work/ingest");
        Directories.delete(work);
    }

    /** The outcome of an upload: the bundle, and whether this upload created it. */
    public record Ingested(BundleDocument bundle, boolean created) {
    }

    public record AppDocument(String app, Instant createdAt) {
    }

    Ingested ingest(String app, Path upload, ArchiveFormat format) {
        Path dir = work.resolve(UUID.randomUUID().toString());
        try {
            BundleNormalizer.Normalized n = normalizer.normalize(upload, format, app, dir);
            if (documents.store().head(Layout.appBundle(app, n.digest())).isEmpty()) {
                checkQuota(app, n.size());
            }
            documents.store().putIfAbsent(Layout.bundleArchive(n.digest()), n.tar());
            BundleDocument fresh = new BundleDocument(app, n.digest(), n.size(), n.files().size(), n.manifest(),
                    clock.instant());
            boolean created = documents.create(Layout.bundleDocument(n.digest()), fresh);
            BundleDocument stored = created ? fresh
                    : documents.read(Layout.bundleDocument(n.digest()), BundleDocument.class).orElse(fresh);
            documents.create(Layout.appBundle(app, n.digest()), stored);
            documents.create(Layout.app(app), new AppDocument(app, stored.createdAt()));
            return new Ingested(stored, created);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Directories.delete(dir);
        }
    }

    /**
     * A new bundle must fit the app's quota ({@code tailor.limits.app-bundles}, {@code app-bytes}); a bundle the app
     * holds already always does. Checked per upload, so two racing uploads may both pass at the edge.
     */
    private void checkQuota(String app, long size) {
        List<BundleDocument> held = list(app);
        long bytes = held.stream().mapToLong(BundleDocument::size).sum();
        if (maxBundlesPerApp > 0 && held.size() >= maxBundlesPerApp) {
            throw Problem.APP_QUOTA_EXCEEDED.because("App '" + app + "' holds " + held.size() + " bundles, as many as "
                    + "tailor.limits.app-bundles allows; the collector (POST /v1/admin/gc) deletes unreleased ones")
                    .with("bundles", held.size()).with("bytes", bytes);
        }
        if (bytes + size > maxBytesPerApp) {
            throw Problem.APP_QUOTA_EXCEEDED.because("App '" + app + "' holds " + bytes + " bytes of bundles; this one ("
                    + size + " bytes) would pass tailor.limits.app-bytes (" + maxBytesPerApp + "); the collector "
                    + "(POST /v1/admin/gc) deletes unreleased ones").with("bundles", held.size()).with("bytes", bytes);
        }
    }

    public Optional<BundleDocument> find(Digest digest) {
        return documents.read(Layout.bundleDocument(digest), BundleDocument.class);
    }

    public Optional<BundleDocument> find(String app, Digest digest) {
        return find(digest).filter(b -> b.app().equals(app));
    }

    /** The app's bundles, newest first. */
    public List<BundleDocument> list(String app) {
        return documents.store().list(Layout.appBundles(app)).stream()
                .map(info -> documents.readListed(info.key(), BundleDocument.class))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(BundleDocument::createdAt).reversed()
                        .thenComparing(b -> b.digest().hex()))
                .toList();
    }

    public boolean appExists(String app) {
        return documents.store().head(Layout.app(app)).isPresent();
    }

    public List<String> apps() {
        return documents.store().list(Layout.APPS).stream().map(BlobInfo::key).map(Layout::appOf).toList();
    }

    public Optional<InputStream> openArchive(Digest digest) {
        return documents.store().get(Layout.bundleArchive(digest));
    }

    public Optional<Path> archiveFile(Digest digest) {
        return documents.store().localFile(Layout.bundleArchive(digest));
    }
}
