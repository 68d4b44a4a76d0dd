package dev.tailor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;

class AuthApiTest extends ApiTestBase {

    static final MediaType GZIP = MediaType.parseMediaType("application/gzip");

    @Test
    void generatedAdminToken_isPrivate_andWorks() throws Exception {
        var file = DATA_DIR.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(adminToken).startsWith("tlr_").hasSizeGreaterThan(40);
        web.post().uri("/v1/apps/authapp/bundles").header("Authorization", "Bearer " + adminToken)
                .contentType(GZIP).bodyValue(Archives.hello("authapp").tarGz()).exchange()
                .expectStatus().isCreated();
    }

    @Test
    void missingOrWrongToken_is401_withAChallenge() {
        web.post().uri("/v1/apps/hello/bundles").contentType(GZIP).bodyValue(Archives.hello("hello").tarGz())
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"tailor\"")
                .expectBody().jsonPath("$.code").isEqualTo("auth.missing_token");
        web.post().uri("/v1/apps/hello/bundles").header("Authorization", "Bearer nope")
                .contentType(GZIP).bodyValue(Archives.hello("hello").tarGz())
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("auth.invalid_token");
        web.post().uri("/v1/apps/hello/bundles").header("Authorization", "Basic dXNlcjpwYXNz")
                .contentType(GZIP).bodyValue(Archives.hello("hello").tarGz())
                .exchange().expectStatus().isUnauthorized();
        web.get().uri("/v1/apps").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void scopedToken_worksForItsApp_andIs403Elsewhere() {
        web.post().uri("/v1/apps/hello/bundles").header("Authorization", "Bearer " + PUBLISHER_TOKEN)
                .contentType(GZIP).bodyValue(Archives.hello("hello").tarGz()).exchange()
                .expectStatus().is2xxSuccessful();
        web.post().uri("/v1/apps/other/bundles").header("Authorization", "Bearer " + PUBLISHER_TOKEN)
                .contentType(GZIP).bodyValue(Archives.hello("other").tarGz()).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("auth.forbidden_app");
        web.get().uri("/v1/apps/other/bundles").header("Authorization", "Bearer " + PUBLISHER_TOKEN).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void tokenWithoutTheRole_is403() {
        web.post().uri("/v1/apps/hello/bundles").header("Authorization", "Bearer " + BUILDER_TOKEN)
                .contentType(GZIP).bodyValue(Archives.hello("hello").tarGz()).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("auth.forbidden_role");
        web.put().uri("/v1/apps/hello/channels/stable").header("Authorization", "Bearer " + BUILDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"bundle\":\"sha256:" + "0".repeat(64) + "\"}")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void deviceFacingReads_needNoToken() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }
}
