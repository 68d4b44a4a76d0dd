package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The shipped VCL on a real varnishd in front of the running service. */
class VarnishEdgeTest extends EdgeTestBase<EdgeProcesses.Varnish> {

    VarnishEdgeTest() {
        super(origin -> EdgeProcesses.Varnish.start(VARNISH_PORT, origin));
    }

    @Test
    void repeatedImageGets_reachTheOriginOnce_andRangesComeFromTheCache() throws Exception {
        TestImages.Stored image = TestImages.put(store, 1 << 20);
        double originBefore = originFetches();
        long hitsBefore = edge.stat("MAIN.cache_hit");
        long missesBefore = edge.stat("MAIN.cache_miss");

        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> r = edge(image.url());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(image.bytes());
            assertThat(r.headers().firstValue("ETag")).contains("\"" + image.digest() + "\"");
        }
        HttpResponse<byte[]> range = edge(image.url(), "Range", "bytes=1000-1999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).contains("bytes 1000-1999/" + (1 << 20));
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(image.bytes(), 1000, 2000));
        // a query string does not split or bypass the cache
        assertThat(edge(image.url() + "?cachebuster=1").body()).isEqualTo(image.bytes());

        assertThat(originFetches() - originBefore).isEqualTo(1);
        // workers publish their counters in batches: wait for them to settle
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(edge.stat("MAIN.cache_miss") - missesBefore).isEqualTo(1);
            assertThat(edge.stat("MAIN.cache_hit") - hitsBefore).isEqualTo(6);
        });
    }

    @Test
    void concurrentFirstRequests_areCoalescedIntoOneOriginFetch() throws Exception {
        TestImages.Stored image = TestImages.put(store, 4 << 20);
        double originBefore = originImages("full");
        assertThat(concurrently(20, VARNISH_PORT, image.url()))
                .allSatisfy(body -> assertThat(body).isEqualTo(image.bytes()));
        assertThat(originImages("full") - originBefore).isEqualTo(1);
    }

    @Test
    void notFound_isNotCached_andTheImageIsServedOnceItExists() throws Exception {
        byte[] bytes = new byte[1000];
        new java.util.Random().nextBytes(bytes);
        String url = "/v1/images/" + dev.tailor.store.Digest.of(dev.tailor.store.Digest.sha256().digest(bytes)).path();
        double notFoundBefore = originImages("not_found");

        assertThat(edge(url).statusCode()).isEqualTo(404);
        EdgeProcesses.sleep(1100); // past the one-second hit-for-miss marker
        assertThat(edge(url).statusCode()).isEqualTo(404);
        assertThat(originImages("not_found") - notFoundBefore).isEqualTo(2);

        TestImages.put(store, bytes);
        HttpResponse<byte[]> found = edge(url);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).isEqualTo(bytes);
        assertThat(edge(url).headers().firstValue("X-Cache")).contains("HIT");
    }

    @Test
    void targetRedirects_areCachedBriefly_andPurgedBySurrogateKeyOnRelease() throws Exception {
        String hello = "/v1/boot/purgeme/stable/x86_64-v3";
        String other = "/v1/boot/keepme/stable/x86_64-v3";
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = edge(hello);
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.headers().firstValue("xkey")).as("keys stay at the edge").isEmpty();
            edge(other);
        }
        assertThat(boot.hits(hello)).isEqualTo(1);
        assertThat(boot.hits(other)).isEqualTo(1);

        double purgesBefore = purges(VARNISH_PORT);
        release("purgeme", "stable");
        await().atMost(Duration.ofSeconds(10)).until(() -> purges(VARNISH_PORT) > purgesBefore);

        assertThat(edge(hello).headers().firstValue("X-Cache")).contains("MISS");
        assertThat(boot.hits(hello)).isEqualTo(2);
        assertThat(edge(other).headers().firstValue("X-Cache")).contains("HIT");
        assertThat(boot.hits(other)).isEqualTo(1);
    }

    @Test
    void anUnreachableEdge_failsItsPurgeOnly_neverTheRelease() {
        // the configured nginx edge is not running during this class
        double failedBefore = failedPurges(NGINX_PORT);
        double varnishBefore = purges(VARNISH_PORT);
        release("edgedown", "stable"); // asserts 200
        await().atMost(Duration.ofSeconds(10)).until(() -> failedPurges(NGINX_PORT) > failedBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> purges(VARNISH_PORT) > varnishBefore);
    }

    double failedPurges(int edgePort) {
        return io.micrometer.core.instrument.search.Search.in(meters).name("tailor.edge.purges")
                .tag("edge", "http://127.0.0.1:" + edgePort).tag("outcome", "failed").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void purge_withoutKeys_isRefused() throws Exception {
        var r = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + VARNISH_PORT + "/"))
                .method("PURGE", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void grace_servesCachedCopies_whileTheOriginIsUnreachable() throws Exception {
        TestImages.Stored image = TestImages.put(store, 100_000);
        String shortLived = "/v1/boot/grace/stable/short";
        assertThat(edge(image.url()).statusCode()).isEqualTo(200);
        assertThat(edge(shortLived).statusCode()).isEqualTo(302);

        edge.useOrigin("dead", EdgeProcesses.freePort());
        try {
            EdgeProcesses.sleep(2500); // the redirect's max-age=1 has passed
            HttpResponse<byte[]> img = edge(image.url());
            assertThat(img.statusCode()).isEqualTo(200);
            assertThat(img.body()).isEqualTo(image.bytes());
            HttpResponse<byte[]> stale = edge(shortLived);
            assertThat(stale.statusCode()).isEqualTo(302);
            assertThat(Long.parseLong(stale.headers().firstValue("Age").orElse("0"))).isGreaterThanOrEqualTo(2);
            // and the origin really is out of reach for anything not cached
            assertThat(edge("/v1/images/" + TestImages.unknown().path()).statusCode()).isEqualTo(503);
        } finally {
            edge.adm("vcl.use", "boot");
        }
    }
}
