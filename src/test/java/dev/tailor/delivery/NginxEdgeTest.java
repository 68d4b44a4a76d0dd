package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The shipped nginx proxy_cache configuration on a real nginx in front of the running service. */
class NginxEdgeTest extends EdgeTestBase<EdgeProcesses.Nginx> {

    NginxEdgeTest() {
        super(origin -> EdgeProcesses.Nginx.shipped(NGINX_PORT, origin));
    }

    @Test
    void images_areFetchedFromTheOriginOnce_evenByConcurrentFirstRequests() throws Exception {
        TestImages.Stored image = TestImages.put(store, 2 << 20);
        double originBefore = originFetches();
        assertThat(concurrently(16, NGINX_PORT, image.url()))
                .allSatisfy(body -> assertThat(body).isEqualTo(image.bytes()));
        HttpResponse<byte[]> again = edge(image.url());
        assertThat(again.headers().firstValue("X-Cache")).contains("HIT");
        assertThat(again.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        HttpResponse<byte[]> range = edge(image.url(), "Range", "bytes=-10");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(image.bytes(), image.bytes().length - 10,
                image.bytes().length));

        assertThat(originFetches() - originBefore).isEqualTo(1);
    }

    @Test
    void notFound_isNotCached() throws Exception {
        String url = "/v1/images/" + TestImages.unknown().path();
        double before = originImages("not_found");
        assertThat(edge(url).statusCode()).isEqualTo(404);
        assertThat(edge(url).statusCode()).isEqualTo(404);
        assertThat(originImages("not_found") - before).isEqualTo(2);
    }

    @Test
    void release_refreshesTheChannelsCachedRedirects() throws Exception {
        String path = "/v1/boot/nginxapp/stable/x86_64-v2";
        boot.locations.put("nginxapp/stable", "/v1/images/sha256/" + "1".repeat(64));
        assertThat(edge(path).headers().firstValue("Location")).contains("/v1/images/sha256/" + "1".repeat(64));
        assertThat(edge(path).headers().firstValue("X-Cache")).contains("HIT");
        assertThat(boot.hits(path)).isEqualTo(1);

        boot.locations.put("nginxapp/stable", "/v1/images/sha256/" + "2".repeat(64));
        double before = purges(NGINX_PORT);
        release("nginxapp", "stable");
        await().atMost(Duration.ofSeconds(20)).until(() -> purges(NGINX_PORT) > before);

        HttpResponse<byte[]> after = edge(path);
        assertThat(after.headers().firstValue("Location")).contains("/v1/images/sha256/" + "2".repeat(64));
        assertThat(after.headers().firstValue("X-Cache")).contains("HIT");
    }

    /** A canonical fingerprint boot, as a device asks it until its answer is final. */
    HttpResponse<byte[]> finalBoot(String path) throws Exception {
        for (int i = 0; ; i++) {
            HttpResponse<byte[]> r = edge(path);
            if (r.statusCode() == 302 && r.headers().firstValue(BootController.TUNED).isEmpty()) {
                return r;
            }
            assertThat(i).as("the image builds").isLessThan(300);
            Thread.sleep(100);
        }
    }

    @Test
    void canonicalBoots_areKeptByNginx_andARelease_refreshesThem() throws Exception {
        release("nginxfleet", "stable");
        String cpu = "x86_64:cmov,cx16,cx8,fpu,fxsr,lahf_lm,mmx,popcnt,sse,sse2,sse3,sse4_1,sse4_2,ssse3";
        String path = "/v1/boot/nginxfleet/stable?cpu=" + cpu;
        HttpResponse<byte[]> first = finalBoot(path);
        assertThat(first.headers().firstValue(BootController.CANONICAL)).contains(cpu);
        HttpResponse<byte[]> again = edge(path);
        assertThat(again.headers().firstValue("X-Cache")).contains("HIT");
        assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        // the header form is never answered from the cache
        assertThat(edge("/v1/boot/nginxfleet/stable?x=1", "Tailor-CPU", cpu).headers().firstValue("X-Cache"))
                .isNotEqualTo(java.util.Optional.of("HIT"));

        double before = purges(NGINX_PORT);
        release("nginxfleet", "stable");
        await().atMost(Duration.ofSeconds(20)).until(() -> purges(NGINX_PORT) > before);

        HttpResponse<byte[]> after = finalBoot(path);
        assertThat(after.headers().firstValue("Tailor-Bundle")).as("the refresh replaced the old answer")
                .isNotEqualTo(first.headers().firstValue("Tailor-Bundle"));
    }
}
