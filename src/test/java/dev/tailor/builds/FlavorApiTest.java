package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.tailor.ApiTestBase;
import dev.tailor.bundle.Archives;
import tools.jackson.databind.JsonNode;

/** {@code "flavor"} on {@code POST /v1/builds}, and wasm32 modules served as {@code application/wasm}. */
class FlavorApiTest extends ApiTestBase {

    private String upload() {
        Archives bundle = Archives.of()
                .file("tailor.yaml", "name: flavors\nversion: 1.0.0\nsources: [src/*.c]\narchs: [x86_64, wasm32]\n")
                .file("src/main.c", "#include <stdio.h>\nint main(void) { printf(\"hi\\n\"); return 5; }\n");
        return authed(web.post().uri("/v1/apps/flavors/bundles").contentType(MediaType.parseMediaType("application/x-tar"))
                .bodyValue(bundle.tar())).exchange().expectStatus().is2xxSuccessful().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("digest").asString();
    }

    private JsonNode post(String body, int status) {
        return web.post().uri("/v1/builds?wait=60").header("Authorization", "Bearer " + BUILDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private byte[] download(JsonNode build, String contentType) {
        return web.get().uri(build.at("/image/url").asString()).exchange().expectStatus().isOk()
                .expectHeader().contentType(contentType).expectBody(byte[].class).returnResult().getResponseBody();
    }

    @Test
    void linuxFlavor_isABuildOfItsOwn_beside_theImageOfTheSameBundleAndTarget() {
        String digest = upload();

        JsonNode image = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v2\"}", 200);
        JsonNode linux = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v2\",\"flavor\":\"linux\"}", 200);
        JsonNode again = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v2\",\"flavor\":\"linux\"}", 200);

        assertThat(image.get("flavor").asString()).isEqualTo("image");
        assertThat(linux.get("flavor").asString()).isEqualTo("linux");
        assertThat(linux.get("status").asString()).as(linux.toString()).isEqualTo("succeeded");
        assertThat(linux.get("id").asString()).isNotEqualTo(image.get("id").asString());
        assertThat(linux.get("toolchain").asString()).isNotEqualTo(image.get("toolchain").asString());
        assertThat(again.get("id").asString()).isEqualTo(linux.get("id").asString());
        assertThat(linux.at("/image/digest").asString()).isNotEqualTo(image.at("/image/digest").asString());
        byte[] executable = download(linux, "application/octet-stream");
        assertThat(executable).startsWith(0x7f, 'E', 'L', 'F');
        // the signature is published like an image's
        web.get().uri(linux.at("/image/url").asString() + ".sig").exchange().expectStatus().isOk();
    }

    @Test
    void wasm32Build_isAModule_servedAsApplicationWasm() {
        String digest = upload();

        JsonNode wasm = post("{\"bundle\":\"" + digest + "\",\"target\":\"wasm32-simd128\"}", 200);

        assertThat(wasm.get("status").asString()).as(wasm.toString()).isEqualTo("succeeded");
        assertThat(wasm.get("arch").asString()).isEqualTo("wasm32");
        assertThat(download(wasm, "application/wasm")).startsWith(0, 'a', 's', 'm');
        web.head().uri(wasm.at("/image/url").asString()).exchange().expectStatus().isOk()
                .expectHeader().contentType("application/wasm");
    }

    @Test
    void linuxFlavorOfAWasmTarget_andAnUnknownFlavor_areRefusedWith422() {
        String digest = upload();

        JsonNode wasmLinux = post("{\"bundle\":\"" + digest + "\",\"target\":\"wasm32-mvp\",\"flavor\":\"linux\"}", 422);
        JsonNode docker = post("{\"bundle\":\"" + digest + "\",\"target\":\"x86_64-v1\",\"flavor\":\"docker\"}", 422);

        assertThat(wasmLinux.get("code").asString()).isEqualTo("build.flavor_unsupported");
        assertThat(wasmLinux.get("detail").asString()).contains("wasm32-mvp");
        assertThat(docker.get("code").asString()).isEqualTo("build.invalid_flavor");
    }

    @Test
    void aWasmFingerprint_resolvesOnTheWasmLadder() {
        JsonNode simd = web.post().uri("/v1/fingerprints/resolve?cpu=wasm32:simd128").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode mvp = web.post().uri("/v1/fingerprints/resolve?cpu=wasm32:").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(simd.at("/target/id").asString()).isEqualTo("wasm32-simd128");
        assertThat(mvp.at("/target/id").asString()).isEqualTo("wasm32-mvp");
        assertThat(mvp.at("/next/id").asString()).isEqualTo("wasm32-simd128");
    }
}
