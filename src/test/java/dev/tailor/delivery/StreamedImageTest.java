package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.tailor.store.BlobInfo;
import dev.tailor.store.BlobStore;
import dev.tailor.store.FileSystemBlobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A store that is not on local disk (S3, say) has its images streamed, ranges included, instead of sendfile'd. */
class StreamedImageTest {

    /** The filesystem store with its local files hidden, as a remote store would be. */
    record Remote(BlobStore disk) implements BlobStore {
        public BlobInfo put(String key, InputStream content) {
            return disk.put(key, content);
        }

        public Optional<BlobInfo> putIfAbsent(String key, InputStream content) {
            return disk.putIfAbsent(key, content);
        }

        public Optional<InputStream> get(String key) {
            return disk.get(key);
        }

        public Optional<BlobInfo> head(String key) {
            return disk.head(key);
        }

        public List<BlobInfo> list(String prefix) {
            return disk.list(prefix);
        }

        public boolean delete(String key) {
            return disk.delete(key);
        }
    }

    @Test
    void imagesOfARemoteStore_areStreamed_wholeAndInRanges(@TempDir Path dir) {
        BlobStore store = new Remote(new FileSystemBlobStore(dir));
        TestImages.Stored image = TestImages.put(store, 1_000_003);
        WebTestClient web = WebTestClient.bindToController(
                        new ImageController(new ImageFiles(store), new SimpleMeterRegistry())).build()
                .mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(4 << 20)).build();

        byte[] whole = web.get().uri(image.url()).exchange().expectStatus().isOk()
                .expectHeader().contentLength(image.bytes().length)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(whole).isEqualTo(image.bytes());

        byte[] middle = web.get().uri(image.url()).header(HttpHeaders.RANGE, "bytes=500000-700001").exchange()
                .expectStatus().isEqualTo(206)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 500000-700001/1000003")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(middle).isEqualTo(Arrays.copyOfRange(image.bytes(), 500_000, 700_002));
    }
}
