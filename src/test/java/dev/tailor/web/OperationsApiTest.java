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

    /** Every endpoint of the reference (docs/API.md) is in the OpenAPI description, including the payoff runs. */
    @Test
    void openApi_hasEveryEndpointOfTheReference() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("docs/API.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^### .*?`[^`]*?(/v1/[^`?\\s]+)").matcher(docs);
        java.util.List<String> paths = new java.util.ArrayList<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        org.assertj.core.api.Assertions.assertThat(paths).contains("/v1/apps/{app}/payoff", "/v1/builds");
        String apiDocs = web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        // variables compared by position, not name; {hex}.sig is served by the image path's {name}
        String described = apiDocs.replaceAll("\\{[a-zA-Z]+\\}", "{}");
        for (String path : paths) {
            String p = path.replaceAll("\\{[a-zA-Z]+\\}", "{}").replace("{}.sig", "{}");
            org.assertj.core.api.Assertions.assertThat(described).as(path).contains("\"" + p + "\"");
        }
    }

    @Test
    void dashboard_isServedAtTheRoot() {
        web.get().uri("/").accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(s -> org.assertj.core.api.Assertions.assertThat(s)
                        .contains("<title>Tailor</title>"));
    }
}
