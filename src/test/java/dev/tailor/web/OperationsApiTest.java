package dev.tailor.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;

/** What operators and scripts outside the project rely on: health, metrics, the OpenAPI description, the dashboard. */
class OperationsApiTest extends ApiTestBase {

    @Test
    void health_isUp() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheus_exposesMetrics() {
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(s -> org.assertj.core.api.Assertions.assertThat(s)
                        .contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApi_describesTheApi() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.info.title").isEqualTo("Tailor")
                .jsonPath("$.paths['/v1/apps/{app}/bundles']").exists();
    }

    @Test
    void dashboard_isServedAtTheRoot() {
        web.get().uri("/").accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(s -> org.assertj.core.api.Assertions.assertThat(s)
                        .contains("<title>Tailor</title>"));
    }
}
