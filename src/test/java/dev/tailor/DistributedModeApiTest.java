package dev.tailor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.tailor.bundle.Archives;
import dev.tailor.store.BlobStore;
import dev.tailor.store.S3BlobStore;
import dev.tailor.testsupport.RabbitMqServer;
import dev.tailor.testsupport.S3ProxyServer;
import tools.jackson.databind.JsonNode;

/**
 * The service configured for the distributed mode ({@code tailor.store.type=s3}, {@code tailor.dispatch.type=amqp})
 * against a real S3Proxy and RabbitMQ node. The S3Proxy is private to this class because one test stops it.
 */
class DistributedModeApiTest extends ApiTestBase {

    private static final S3ProxyServer S3 = S3ProxyServer.start();
    private static final MediaType GZIP = MediaType.parseMediaType("application/gzip");

    @DynamicPropertySource
    static void distributed(DynamicPropertyRegistry registry) {
        registry.add("tailor.store.type", () -> "s3");
        registry.add("tailor.store.s3.endpoint", () -> S3.endpoint().toString());
        registry.add("tailor.store.s3.bucket", () -> "tailor-api");
        registry.add("tailor.store.s3.access-key", () -> S3ProxyServer.ACCESS_KEY);
        registry.add("tailor.store.s3.secret-key", () -> S3ProxyServer.SECRET_KEY);
        registry.add("tailor.store.s3.public-base-url", () -> "https://images.example.test/tailor");
        registry.add("tailor.dispatch.type", () -> "amqp");
        registry.add("spring.rabbitmq.host", () -> RabbitMqServer.shared().host());
        registry.add("spring.rabbitmq.port", () -> RabbitMqServer.shared().port());
        registry.add("spring.rabbitmq.publisher-confirm-type", () -> "correlated");
    }

    @AfterAll
    static void stopS3() {
        S3.close();
    }

    @Autowired
    BlobStore store;

    @Autowired
    RabbitTemplate rabbit;

    @Test
    void images_redirectToTheStoresPublicUrl_whenOneIsConfigured() {
        byte[] bytes = "an image that lives in the bucket".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.tailor.store.Digest digest = dev.tailor.store.Digest.of(dev.tailor.store.Digest.sha256().digest(bytes));
        store.put("images/" + digest.path(), new java.io.ByteArrayInputStream(bytes));
        web.get().uri("/v1/images/" + digest.path()).exchange().expectStatus().isFound()
                .expectHeader().valueEquals("Location", "https://images.example.test/tailor/images/" + digest.path())
                .expectHeader().valueEquals("Cache-Control", "public, max-age=31536000, immutable")
                .expectHeader().valueEquals("ETag", "\"" + digest + "\"");
        web.get().uri("/v1/images/sha256/" + "0".repeat(64)).exchange().expectStatus().isNotFound();
    }

    @Test
    void bundles_areStoredInTheBucket() {
        var created = upload("s3app", Archives.hello("s3app").tarGz());
        assertThat(created.getStatus()).isEqualTo(HttpStatus.CREATED);
        assertThat(store).isInstanceOf(S3BlobStore.class);
        String hex = created.getResponseBody().get("digest").asString().substring("sha256:".length());
        assertThat(store.list("")).anySatisfy(info -> assertThat(info.key()).contains(hex));
        authed(web.get().uri("/v1/apps/s3app/bundles/sha256/{hex}/archive", hex)).exchange()
                .expectStatus().isOk();
    }

    /** How promptly the 503 comes is printed, not asserted: {@code bench/store-outage.sh} reports it. */
    @Test
    void storeOutage_answers503_andTheServiceRecoversWhenTheStoreReturns() {
        assertThat(upload("outage", Archives.hello("outage").tarGz()).getStatus()).isEqualTo(HttpStatus.CREATED);
        byte[] second = Archives.hello("outage").file("src/two.c", "int two;\n").tarGz();

        S3.stop();
        try {
            long start = System.nanoTime();
            var down = upload("outage", second);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("upload while the store is down answered " + down.getStatus() + " in " + millis + " ms");
            assertThat(down.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(down.getResponseHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(down.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
            assertThat(down.getResponseBody().get("code").asString()).isEqualTo("store.unavailable");

            authed(web.get().uri("/v1/apps/outage/bundles")).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody().jsonPath("$.code").isEqualTo("store.unavailable");
            web.get().uri("/actuator/health").exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody().jsonPath("$.status").isEqualTo("DOWN");
        } finally {
            S3.resume();
        }

        long start = System.nanoTime();
        var back = upload("outage", second);
        System.out.println("first upload after the store returned took "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertThat(back.getStatus()).isEqualTo(HttpStatus.CREATED);
        authed(web.get().uri("/v1/apps/outage/bundles")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(2);
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void amqpDispatch_switchesOnSpringsRabbitSupport_withPublisherConfirms() throws Exception {
        String queue = "tailor.test.confirms";
        new RabbitAdmin(rabbit.getConnectionFactory()).declareQueue(new Queue(queue, true));
        CorrelationData confirm = new CorrelationData("c1");
        rabbit.convertAndSend("", queue, "ping", confirm);
        assertThat(confirm.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();
        Object got = rabbit.receiveAndConvert(queue, 10_000);
        assertThat(got).isEqualTo("ping");
    }

    private EntityExchangeResult<JsonNode> upload(String app, byte[] body) {
        return authed(web.mutate().responseTimeout(Duration.ofSeconds(60)).build()
                .post().uri("/v1/apps/{app}/bundles", app).contentType(GZIP).bodyValue(body))
                .exchange().expectBody(JsonNode.class).returnResult();
    }
}
