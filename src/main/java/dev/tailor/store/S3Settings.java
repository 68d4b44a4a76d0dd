package dev.tailor.store;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code tailor.store.s3.*}: where the S3-compatible store is, used when {@code tailor.store.type=s3}.
 *
 * @param endpoint      the store's URL (S3Proxy, MinIO, Ceph...); empty means AWS S3 itself for the region
 * @param accessKey     with {@code secretKey}; both empty means the SDK's default chain (environment, profile,
 *                      instance role)
 * @param pathStyle     {@code http://host/bucket/key} instead of {@code http://bucket.host/key}; most S3-compatible
 *                      stores need it
 * @param publicBaseUrl when set, image downloads may redirect to {@code <base>/<key>} (a CDN or a public bucket)
 *                      instead of streaming through the service
 * @param connectTimeout how long to wait for a TCP connection, so an unreachable store fails fast
 * @param apiCallTimeout the most one store call may take, retries included (a multipart upload is one call per
 *                      part); past it the API answers 503
 * @param partSize      objects larger than this go up in parts of this size (at least 5 MiB, S3's minimum); it is
 *                      also the most a single upload holds in memory
 */
@ConfigurationProperties("tailor.store.s3")
public record S3Settings(URI endpoint, String bucket, @DefaultValue("us-east-1") String region, String accessKey,
                         String secretKey, @DefaultValue("true") boolean pathStyle, URI publicBaseUrl,
                         @DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration apiCallTimeout,
                         @DefaultValue("8MB") DataSize partSize) {

    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_PART_SIZE = 512L * 1024 * 1024;

    /** Checked only when S3 is chosen, so that the embedded default needs none of these keys. */
    S3Settings validated() {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("tailor.store.s3.bucket is required when tailor.store.type=s3");
        }
        if ((accessKey == null || accessKey.isBlank()) != (secretKey == null || secretKey.isBlank())) {
            throw new IllegalStateException("set both tailor.store.s3.access-key and .secret-key, or neither");
        }
        if (partSize.toBytes() < MIN_PART_SIZE || partSize.toBytes() > MAX_PART_SIZE) {
            throw new IllegalStateException("tailor.store.s3.part-size must be between 5MB and 512MB");
        }
        return this;
    }

    /** Settings for a test or a tool: an endpoint with static keys and the defaults for the rest. */
    public static S3Settings of(URI endpoint, String bucket, String accessKey, String secretKey) {
        return new S3Settings(endpoint, bucket, "us-east-1", accessKey, secretKey, true, null,
                Duration.ofSeconds(2), Duration.ofSeconds(10), DataSize.ofMegabytes(8));
    }

    public S3Settings withPartSize(DataSize size) {
        return new S3Settings(endpoint, bucket, region, accessKey, secretKey, pathStyle, publicBaseUrl,
                connectTimeout, apiCallTimeout, size);
    }

    /** Never prints the secret key, should the settings end up in a log or an exception. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey="
                + accessKey + ", secretKey=" + (secretKey == null ? null : "****") + ", pathStyle=" + pathStyle
                + ", publicBaseUrl=" + publicBaseUrl + ", connectTimeout=" + connectTimeout + ", apiCallTimeout="
                + apiCallTimeout + ", partSize=" + partSize + "]";
    }

    public S3Settings withPublicBaseUrl(URI url) {
        return new S3Settings(endpoint, bucket, region, accessKey, secretKey, pathStyle, url, connectTimeout,
                apiCallTimeout, partSize);
    }
}
