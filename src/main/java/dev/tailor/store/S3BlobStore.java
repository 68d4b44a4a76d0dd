package dev.tailor.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tailor.store.PartSource.Part;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects in one bucket of an S3-compatible store, through the SDK's async client (Netty) with the
 * blocking {@link BlobStore} API on top.
 *
 * <p>Atomicity comes from S3 itself: a PUT or a completed multipart upload becomes visible whole or not at all.
 * Content goes up one part at a time ({@code tailor.store.s3.part-size}, 8 MiB by default): an object that
 * fits in one part is one PUT, a larger one a multipart upload that is aborted if the content fails midway, so a
 * failed write leaves the previous version (or nothing) visible. A stream is read into one reused buffer of at
 * most a part (small documents use a small one); a file is read by the SDK from disk, part by part. Reads stream
 * the response body.
 *
 * <p>First-write-wins: a HEAD first (skipping the upload when the key exists), then the write carries
 * {@code If-None-Match: *} on the PUT or on CompleteMultipartUpload, which AWS S3 (since 2024) and MinIO evaluate
 * atomically and answer 412 when the key exists: exact across any number of processes. S3Proxy 2.6.0 ignores the
 * header (measured: a conditional PUT onto an existing key succeeds and replaces it), so there only the HEAD
 * guards; writers of one key in this process also hold a per-key lock, which keeps first-write-wins exact within
 * a process on any store. The remaining window, on stores without conditional writes only: two processes whose
 * HEADs both precede the end of the other's upload both "win", and the later upload's bytes stay. Tailor races
 * only on content-addressed or reproducible keys, where both writers carry the same bytes.
 *
 * <p>Every failure of the store (refused connection, timeout, 5xx, bad credentials) becomes a
 * {@link BlobStoreException}: a refused connection fails at once (three attempts), an unanswered one after
 * {@code connect-timeout}, and no call waits longer than {@code api-call-timeout} for its response.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

    private final S3AsyncClient s3;
    private final String bucket;
    private final int partSize;
    private final URI publicBaseUrl;
    private final boolean ownsClient;
    private final ReentrantLock[] writeLocks = new ReentrantLock[256];

    private S3BlobStore(S3AsyncClient s3, S3Settings settings, boolean ownsClient) {
        this.s3 = s3;
        this.ownsClient = ownsClient;
        this.bucket = settings.bucket();
        this.partSize = Math.toIntExact(settings.partSize().toBytes());
        this.publicBaseUrl = settings.publicBaseUrl();
        for (int i = 0; i < writeLocks.length; i++) {
            writeLocks[i] = new ReentrantLock();
        }
    }

    /** Connects and creates the bucket when it is missing; fails when the store cannot be reached. */
    public static S3BlobStore open(S3Settings settings) {
        S3AsyncClient client = client(settings.validated());
        try {
            return open(settings, client, true);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** A store on a client that the caller owns and closes (tests share one: closing a client takes seconds). */
    static S3BlobStore open(S3Settings settings, S3AsyncClient client, boolean ownsClient) {
        S3BlobStore store = new S3BlobStore(client, settings.validated(), ownsClient);
        store.ensureBucket();
        log.info("blob store: S3 bucket '{}' at {}", settings.bucket(),
                settings.endpoint() == null ? "AWS " + settings.region() : settings.endpoint());
        return store;
    }

    static S3AsyncClient client(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKey() == null || settings.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        // Bounds connecting as well as waiting for a pooled connection: with Netty 4.2 a refused
                        // connection now and then never completes the acquire (seen with SDK 2.57.8), and then
                        // only this timeout ends the attempt.
                        .connectionAcquisitionTimeout(settings.connectTimeout().plusSeconds(1))
                        .maxConcurrency(128))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Checksums only where S3 demands them: S3-compatible stores differ in support for the newer
                // trailing-checksum (aws-chunked) uploads, and the content is sha256-addressed by Tailor anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(settings.apiCallTimeout())
                        // three attempts with short backoff: a store that is down should answer 503 soon
                        .retryStrategy(RetryMode.STANDARD));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private void ensureBucket() {
        try {
            await(s3.headBucket(b -> b.bucket(bucket)));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("cannot reach bucket " + bucket, e);
            }
            try {
                await(s3.createBucket(b -> b.bucket(bucket)));
                log.info("created S3 bucket '{}'", bucket);
            } catch (S3Exception raced) {
                if (raced.statusCode() != 409) { // another replica created it first
                    throw failure("cannot create bucket " + bucket, raced);
                }
            } catch (SdkException other) {
                throw failure("cannot create bucket " + bucket, other);
            }
        } catch (SdkException e) {
            throw failure("cannot reach bucket " + bucket, e);
        }
    }

    @Override
    public BlobInfo put(String key, InputStream content) {
        return write(BlobKey.check(key), new StreamParts(content, partSize), false).orElseThrow();
    }

    @Override
    public Optional<BlobInfo> putIfAbsent(String key, InputStream content) {
        return writeOnce(key, () -> new StreamParts(content, partSize));
    }

    /** From a file the SDK reads each part straight from disk: nothing of the object passes through the heap. */
    @Override
    public BlobInfo put(String key, Path file) {
        return write(BlobKey.check(key), new FileParts(file, partSize), false).orElseThrow();
    }

    @Override
    public Optional<BlobInfo> putIfAbsent(String key, Path file) {
        return writeOnce(key, () -> new FileParts(file, partSize));
    }

    private Optional<BlobInfo> writeOnce(String key, java.util.function.Supplier<PartSource> parts) {
        ReentrantLock lock = writeLocks[Math.floorMod(BlobKey.check(key).hashCode(), writeLocks.length)];
        lock.lock();
        try {
            if (head(key).isPresent()) {
                return Optional.empty();
            }
            return write(key, parts.get(), true);
        } finally {
            lock.unlock();
        }
    }

    private Optional<BlobInfo> write(String key, PartSource parts, boolean ifAbsent) {
        Part first = parts.next();
        try {
            if (first.length() < partSize) {
                await(s3.putObject(b -> b.bucket(bucket).key(key).contentLength(first.length())
                        .ifNoneMatch(ifAbsent ? "*" : null), first.body()));
                return Optional.of(new BlobInfo(key, first.length(), Instant.now()));
            }
            return multipart(key, first, parts, ifAbsent);
        } catch (S3Exception e) {
            if (ifAbsent && lostTheRace(key, e)) {
                return Optional.empty();
            }
            throw failure("cannot store " + key, e);
        } catch (SdkException e) {
            throw failure("cannot store " + key, e);
        }
    }

    /** Parts go up one at a time: the next is read only once the previous is stored, so one buffer serves all. */
    private Optional<BlobInfo> multipart(String key, Part first, PartSource parts, boolean ifAbsent) {
        String uploadId = await(s3.createMultipartUpload(b -> b.bucket(bucket).key(key))).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> done = new ArrayList<>();
            long total = 0;
            for (Part part = first; part != null; part = parts.next()) {
                int number = done.size() + 1;
                Part current = part;
                String etag = await(s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength(current.length()), current.body())).eTag();
                done.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += part.length();
            }
            await(s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)).ifNoneMatch(ifAbsent ? "*" : null)));
            completed = true;
            return Optional.of(new BlobInfo(key, total, Instant.now()));
        } finally {
            if (!completed) {
                abort(key, uploadId);
            }
        }
    }

    private void abort(String key, String uploadId) {
        try {
            await(s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
        } catch (SdkException e) {
            // the parts stay invisible; a bucket lifecycle rule for incomplete uploads reclaims them
            log.warn("cannot abort the multipart upload of {}: {}", key, e.toString());
        }
    }

    /**
     * 412: the condition failed, someone else's object is there. 409: a concurrent conditional write to the key
     * was in flight; whether we lost depends on whether it completed.
     */
    private boolean lostTheRace(String key, S3Exception e) {
        return e.statusCode() == 412 || (e.statusCode() == 409 && head(key).isPresent());
    }

    @Override
    public Optional<InputStream> get(String key) {
        return get(key, 0);
    }

    /** A ranged GET: the bytes before the offset never leave the store. */
    @Override
    public Optional<InputStream> get(String key, long offset) {
        BlobKey.check(key);
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset");
        }
        try {
            ResponseInputStream<GetObjectResponse> body = await(s3.getObject(
                    b -> b.bucket(bucket).key(key).range(offset > 0 ? "bytes=" + offset + "-" : null),
                    AsyncResponseTransformer.toBlockingInputStream()));
            return Optional.of(new SdkFailuresAsIOException(body));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 416) { // the offset is at or past the end of an object that exists
                return Optional.of(InputStream.nullInputStream());
            }
            throw failure("cannot read " + key, e);
        } catch (SdkException e) {
            throw failure("cannot read " + key, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        BlobKey.check(key);
        try {
            HeadObjectResponse r = await(s3.headObject(b -> b.bucket(bucket).key(key)));
            return Optional.of(new BlobInfo(key, r.contentLength(), r.lastModified()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("cannot stat " + key, e);
        } catch (SdkException e) {
            throw failure("cannot stat " + key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        BlobKey.checkPrefix(prefix);
        List<BlobInfo> out = new ArrayList<>();
        String token = null;
        try {
            do {
                String continuation = token;
                ListObjectsV2Response page = await(s3.listObjectsV2(b -> b.bucket(bucket)
                        .prefix(prefix.isEmpty() ? null : prefix).continuationToken(continuation)));
                for (S3Object o : page.contents()) {
                    if (isBlobKey(o.key())) { // objects put there by other tools are not ours to show
                        out.add(new BlobInfo(o.key(), o.size(), o.lastModified()));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("cannot list " + prefix, e);
        }
        out.sort(Comparator.comparing(BlobInfo::key));
        return out;
    }

    /** S3's DELETE succeeds whether or not the key exists, so a HEAD tells which it was (racy, and only a hint). */
    @Override
    public boolean delete(String key) {
        if (head(key).isEmpty()) {
            return false;
        }
        try {
            await(s3.deleteObject(b -> b.bucket(bucket).key(key)));
            return true;
        } catch (SdkException e) {
            throw failure("cannot delete " + key, e);
        }
    }

    @Override
    public Optional<URI> publicUrl(String key) {
        if (publicBaseUrl == null) {
            return Optional.empty();
        }
        String base = publicBaseUrl.toString();
        return Optional.of(URI.create((base.endsWith("/") ? base : base + "/") + BlobKey.check(key)));
    }

    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    private static boolean isBlobKey(String key) {
        try {
            BlobKey.check(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static <T> T await(CompletableFuture<T> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new BlobStoreException("interrupted while waiting for S3", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException sdk) {
                throw sdk;
            }
            throw new BlobStoreException("S3 call failed", e.getCause());
        }
    }

    private static BlobStoreException failure(String what, SdkException e) {
        return new BlobStoreException(what + ": " + e.getMessage(), e);
    }

    /** A broken connection while the caller reads is an I/O error like any other, not an SDK exception. */
    private static final class SdkFailuresAsIOException extends FilterInputStream {
        SdkFailuresAsIOException(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SdkException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SdkException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (SdkException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
