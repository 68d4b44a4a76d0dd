package dev.tailor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.tailor.catalog.Arch;
import dev.tailor.catalog.TargetCatalog;

/**
 * Fingerprint boots answered at a real Varnish with the project's VCL: a final answer to a canonical query
 * ({@code ?cpu=<canonical>}) is kept by the edge, tagged with the channel's keys and purged by a release; every other
 * answer (a pending one, an error, a non-canonical query) stays the device's own. Boots wait 0 s here, so a target
 * not built yet is answered pending at once.
 */
@TestPropertySource(properties = "tailor.delivery.boot-wait=0s")
class EdgeCanonicalBootTest extends EdgeTestBase<EdgeProcesses.Varnish> {

    static final TargetCatalog CATALOG = TargetCatalog.load();

    EdgeCanonicalBootTest() {
        super(origin -> EdgeProcesses.Varnish.start(VARNISH_PORT, origin));
    }

    /** Twenty x86_64 CPU models, each as its kernel might list it: usable features plus flags no target uses. */
    static List<String> models() {
        Random random = new Random(2026);
        List<String> usable = new ArrayList<>(CATALOG.usableFeatures(Arch.X86_64));
        List<String> models = new ArrayList<>();
        while (models.size() < 20) {
            List<String> names = new ArrayList<>(CATALOG.baseline(Arch.X86_64).features());
            usable.stream().filter(f -> random.nextInt(3) == 0).forEach(names::add);
            names.addAll(List.of("hypervisor", "constant_tsc", "flag" + models.size()));
            Collections.shuffle(names, random);
            String model = "x86_64:" + String.join(",", names);
            models.add(model);
        }
        return models;
    }

    java.security.PublicKey publicKey() throws Exception {
        String pem = tools.jackson.databind.json.JsonMapper.builder().build().readTree(edge("/v1/keys").body()).get(0)
                .get("publicKeyPem").asString();
        byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(der));
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** Boots as a device does: follows a redirect to the canonical query, retries a pending answer; the final one. */
    HttpResponse<byte[]> finalBoot(String path) throws Exception {
        for (int i = 0; ; i++) {
            HttpResponse<byte[]> r = edge(path);
            if (r.statusCode() == 307) {
                path = header(r, "Location");
                continue;
            }
            if (r.statusCode() == 302 && header(r, BootController.TUNED) == null) {
                return r;
            }
            assertThat(header(r, "Cache-Control")).as("a pending or failed answer is the device's own")
                    .contains("no-store");
            assertThat(i).as("the image builds").isLessThan(600);
            Thread.sleep(100);
        }
    }

    @Test
    void aThousandBoots_ofTwentyModels_reachTheOriginOncePerModel_andAReleaseReachesEveryModel() throws Exception {
        release("edgefleet", "stable");
        List<String> models = models();
        Map<String, String> canonical = new HashMap<>();
        Map<String, String> image = new HashMap<>();
        Map<String, String> bundle = new HashMap<>();
        for (String m : models) {
            // the first boot sends whatever the device has, and learns its canonical form from the answer
            HttpResponse<byte[]> first = finalBoot("/v1/boot/edgefleet/stable?cpu=" + q(m));
            assertThat(header(first, "Cache-Control")).isEqualTo("public, max-age=0, s-maxage=300");
            canonical.put(m, header(first, BootController.CANONICAL));
            image.put(m, header(first, "Location"));
            bundle.put(m, header(first, "Tailor-Bundle"));
        }
        assertThat(canonical.values()).doesNotHaveDuplicates();
        // each device verifies what it was sent, as the device client does: the bytes hash to the address and the
        // signature is the service's key
        java.security.PublicKey key = publicKey();
        for (String url : new java.util.HashSet<>(image.values())) {
            byte[] bytes = edge(url).body();
            byte[] sig = edge(url + ".sig").body();
            assertThat("/v1/images/sha256/" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(url);
            java.security.Signature verify = java.security.Signature.getInstance("Ed25519");
            verify.initVerify(key);
            verify.update(bytes);
            assertThat(verify.verify(sig)).as("the signature of " + url).isTrue();
        }

        Map<String, Integer> misses = new HashMap<>();
        Map<String, Integer> redirectMisses = new HashMap<>();
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            String m = models.get(i % models.size());
            boolean canonicalForm = random.nextInt(4) > 0;
            String path = "/v1/boot/edgefleet/stable?cpu=" + (canonicalForm ? canonical.get(m) : q(m));
            HttpResponse<byte[]> r = edge(path);
            if (!canonicalForm) {
                // the device's own spelling converges on the canonical query, by a redirect the edge keeps too
                assertThat(r.statusCode()).isEqualTo(307);
                assertThat(header(r, "Location")).isEqualTo("/v1/boot/edgefleet/stable?cpu=" + canonical.get(m));
                if ("MISS".equals(header(r, "X-Cache"))) {
                    redirectMisses.merge(m, 1, Integer::sum);
                }
                r = edge(header(r, "Location"));
            }
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(header(r, "Location")).as("every device gets the image for its own CPU").isEqualTo(image.get(m));
            if ("MISS".equals(header(r, "X-Cache"))) {
                misses.merge(m, 1, Integer::sum);
            }
        }
        assertThat(misses.values()).as("the origin answers each model's canonical query at most once")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(redirectMisses.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));

        double purged = purges(VARNISH_PORT);
        release("edgefleet", "stable");
        await().atMost(Duration.ofSeconds(10)).until(() -> purges(VARNISH_PORT) > purged);
        for (String m : models) {
            HttpResponse<byte[]> r = finalBoot("/v1/boot/edgefleet/stable?cpu=" + canonical.get(m));
            assertThat(header(r, "Tailor-Bundle")).as("nothing stale after a release").isNotEqualTo(bundle.get(m));
            assertThat(header(r, "Location")).isNotEqualTo(image.get(m));
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationEventPublisher events;

    @Test
    void newPayoffMeasurements_purgeTheAppsEdgeCopies_inEveryChannel() throws Exception {
        release("measured", "stable");
        release("measured", "beta");
        String cpu = "x86_64:cmov,cx16,cx8,fpu,fxsr,lahf_lm,mmx,popcnt,sse,sse2,sse3,sse4_1,sse4_2,ssse3";
        for (String channel : List.of("stable", "beta")) {
            finalBoot("/v1/boot/measured/" + channel + "?cpu=" + cpu);
            assertThat(header(edge("/v1/boot/measured/" + channel + "?cpu=" + cpu), "X-Cache")).isEqualTo("HIT");
        }
        double purged = purges(VARNISH_PORT);
        // what a payoff run's end publishes on every replica: auto answers of the app may change
        events.publishEvent(new dev.tailor.payoff.PayoffMeasured("measured",
                new dev.tailor.store.Digest("ab".repeat(32))));
        await().atMost(Duration.ofSeconds(10)).until(() -> purges(VARNISH_PORT) >= purged + 2);

        for (String channel : List.of("stable", "beta")) {
            assertThat(header(edge("/v1/boot/measured/" + channel + "?cpu=" + cpu), "X-Cache")).isEqualTo("MISS");
        }
    }

    @Test
    void errors_pendingAnswers_otherChannels_andOtherPolicies_areNeverServedForAnotherRequest() throws Exception {
        release("poison", "stable");
        release("poison", "beta");
        String cpu = "x86_64:fpu,cx8,cmov,mmx,fxsr,sse,sse2,cx16,lahf_lm,popcnt,sse3,ssse3,sse4_1,sse4_2";

        // garbage: a 400 each time, from the origin each time
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> garbage = edge("/v1/boot/poison/stable?cpu=x86_64@@@:sse");
            assertThat(garbage.statusCode()).isEqualTo(400);
            assertThat(header(garbage, "X-Cache")).isEqualTo("MISS");
        }
        String canonical = header(finalBoot("/v1/boot/poison/stable?cpu=" + q(cpu)), BootController.CANONICAL);
        // a query with more than the fingerprint (here the device's own wait) is answered directly, and not kept
        HttpResponse<byte[]> direct = edge("/v1/boot/poison/stable?wait=1&cpu=" + canonical);
        assertThat(direct.statusCode()).isEqualTo(302);
        assertThat(header(direct, "Cache-Control")).isEqualTo("no-store");
        // the first canonical answer of a target not built yet may be pending: not kept
        HttpResponse<byte[]> stable = finalBoot("/v1/boot/poison/stable?cpu=" + canonical);
        assertThat(header(stable, "Cache-Control")).isEqualTo("public, max-age=0, s-maxage=300");
        assertThat(header(edge("/v1/boot/poison/stable?cpu=" + canonical), "X-Cache")).isEqualTo("HIT");
        // another channel, and another policy, are other answers
        HttpResponse<byte[]> beta = finalBoot("/v1/boot/poison/beta?cpu=" + canonical);
        assertThat(header(beta, "Tailor-Bundle")).isNotEqualTo(header(stable, "Tailor-Bundle"));
        HttpResponse<byte[]> portable = finalBoot("/v1/boot/poison/stable?cpu=" + canonical + "&policy=portable");
        assertThat(header(portable, "Tailor-Target")).isEqualTo("x86_64-v1");
        assertThat(header(stable, "Tailor-Target")).isEqualTo("x86_64-v2");
        assertThat(header(edge("/v1/boot/poison/stable?cpu=" + canonical), "Tailor-Target")).isEqualTo("x86_64-v2");
        // the fingerprint in a header is passed: the edge's copy of the query form is not its answer
        HttpResponse<byte[]> viaHeader = edge("/v1/boot/poison/stable?x=1", "Tailor-CPU",
                "x86_64:fpu,cx8,cmov,mmx,fxsr,sse,sse2");
        assertThat(header(viaHeader, "Tailor-Target")).isIn("x86_64-v1", null);
        assertThat(header(viaHeader, "Cache-Control")).contains("no-store");
    }
}
