package dev.tailor.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import dev.tailor.ApiTestBase;
import dev.tailor.store.BlobInfo;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Digest;
import tools.jackson.databind.JsonNode;

class BundleApiTest extends ApiTestBase {

    static final MediaType GZIP = MediaType.parseMediaType("application/gzip");
    static final MediaType ZIP = MediaType.parseMediaType("application/zip");
    static final MediaType TAR = MediaType.parseMediaType("application/x-tar");

    @Autowired
    BlobStore store;

    @LocalServerPort
    int port;

    EntityExchangeResult<JsonNode> upload(String app, byte[] body, MediaType type) {
        return authed(web.post().uri("/v1/apps/{app}/bundles", app).contentType(type).bodyValue(body))
                .exchange().expectBody(JsonNode.class).returnResult();
    }

    @Test
    void upload_list_get_download_roundTrip_andRepackingGivesOneDigest() {
        Archives files = Archives.hello("roundtrip").file("src/extra.c", "int extra;\n");
        var first = upload("roundtrip", files.tarGz(), GZIP);
        assertThat(first.getStatus()).isEqualTo(HttpStatus.CREATED);
        String digest = first.getResponseBody().get("digest").asString();
        assertThat(first.getResponseHeaders().getLocation())
                .hasToString("/v1/apps/roundtrip/bundles/" + digest.replace(':', '/'));
        assertThat(first.getResponseBody().get("files").asInt()).isEqualTo(3);
        assertThat(first.getResponseBody().at("/manifest/version").asString()).isEqualTo("1.0.0");

        var again = upload("roundtrip", files.reversed().zip(), ZIP);
        assertThat(again.getStatus()).isEqualTo(HttpStatus.OK);
        assertThat(again.getResponseBody().get("digest").asString()).isEqualTo(digest);
        var sniffed = upload("roundtrip", files.tar(), MediaType.APPLICATION_OCTET_STREAM);
        assertThat(sniffed.getStatus()).isEqualTo(HttpStatus.OK);

        authed(web.get().uri("/v1/apps/roundtrip/bundles")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(1).jsonPath("$[0].digest").isEqualTo(digest);
        String hex = digest.substring("sha256:".length());
        authed(web.get().uri("/v1/apps/roundtrip/bundles/sha256/{hex}", hex)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.app").isEqualTo("roundtrip");
        byte[] tar = authed(web.get().uri("/v1/apps/roundtrip/bundles/sha256/{hex}/archive", hex)).exchange()
                .expectStatus().isOk().expectHeader().valueEquals("ETag", "\"" + digest + "\"")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(Digest.of(Digest.sha256().digest(tar)).toString()).isEqualTo(digest);
    }

    @Test
    void hostileArchives_get4xxWithTheirCode_andStoreNothing() {
        List<BlobInfo> before = store.list("");
        record Case(String code, int status, byte[] body, MediaType type) {
        }
        List<Case> cases = List.of(
                new Case("bundle.path_traversal", 400, Archives.hello("evil").file("../../etc/x.c", "x").tarGz(), GZIP),
                new Case("bundle.path_traversal", 400, Archives.hello("evil").file("/etc/x.c", "x").zip(), ZIP),
                new Case("bundle.symlink", 400, Archives.hello("evil").special("src/pw.c", Archives.Kind.SYMLINK).tar(), TAR),
                new Case("bundle.hardlink", 400, Archives.hello("evil").special("src/h.c", Archives.Kind.HARDLINK).tar(), TAR),
                new Case("bundle.special_file", 400, Archives.hello("evil").special("dev/zero", Archives.Kind.CHAR_DEVICE).tar(), TAR),
                new Case("bundle.duplicate_entry", 400, Archives.hello("evil").file("src/main.c", "dup").zip(), ZIP),
                new Case("bundle.compression_bomb", 413, Archives.hello("evil").file("zero.bin", new byte[1900 * 1024]).tarGz(), GZIP),
                new Case("manifest.missing", 400, Archives.of().file("src/main.c", "x").tarGz(), GZIP),
                new Case("manifest.malformed", 400, Archives.of().file("tailor.yaml", ": : [").file("a.c", "").tarGz(), GZIP),
                new Case("manifest.name_mismatch", 422, Archives.hello("other").tarGz(), GZIP),
                new Case("manifest.sources_unmatched", 422, Archives.of()
                        .file("tailor.yaml", "name: evil\nversion: 1\nsources: [lib/*.c]\n").file("a.c", "").tarGz(), GZIP),
                new Case("bundle.too_many_entries", 413, manyEntries(4100), GZIP),
                new Case("bundle.bad_name", 400, Archives.hello("evil").file("src/bell\u0007.c", "x").tar(), TAR),
                new Case("bundle.unreadable", 400, "definitely not gzip".getBytes(), GZIP),
                new Case("bundle.unsupported_type", 415, Archives.hello("evil").tarGz(), MediaType.TEXT_PLAIN));
        for (Case c : cases) {
            var result = upload("evil", c.body(), c.type());
            assertThat(result.getStatus().value()).as(c.code()).isEqualTo(c.status());
            assertThat(result.getResponseHeaders().getContentType()).as(c.code())
                    .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(result.getResponseBody().get("code").asString()).isEqualTo(c.code());
            assertThat(result.getResponseBody().get("detail").asString()).isNotBlank();
        }
        // nothing of a bundle stored (builds of other tests may land meanwhile); the audit trail records each refusal
        java.util.function.Predicate<dev.tailor.store.BlobInfo> bundleKeys = i -> i.key().startsWith("bundles/")
                || i.key().startsWith("meta/bundles/") || i.key().startsWith("meta/app-bundles/")
                || i.key().startsWith("meta/apps/");
        assertThat(store.list("").stream().filter(bundleKeys).toList())
                .isEqualTo(before.stream().filter(bundleKeys).toList());
        authed(web.get().uri("/v1/apps/evil/bundles")).exchange().expectStatus().isNotFound();
        authed(web.get().uri("/v1/apps/evil/audit")).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.events[?(@.outcome == 'bundle.path_traversal')].action").isEqualTo(List.of("upload", "upload"))
                .jsonPath("$.events[?(@.outcome == 'bundle.compression_bomb')].actor").isEqualTo(List.of("admin"));
    }

    static byte[] manyEntries(int n) {
        Archives a = Archives.hello("evil");
        for (int i = 0; i < n; i++) {
            a.file("f/" + i, "");
        }
        return a.tarGz();
    }

    @Test
    void oversizedUpload_isRefusedBeforeItsBodyIsRead() throws Exception {
        // A careful client (curl does this for large bodies) announces the body and waits for 100 Continue;
        // Tailor refuses on the announced length alone, and the body is never sent.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            String head = "POST /v1/apps/big/bundles HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + adminToken + "\r\nContent-Type: application/gzip\r\n"
                    + "Content-Length: " + (3 * 1024 * 1024) + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).containsIgnoringCase("connection: close");
            assertThat(response).contains("\"code\":\"bundle.upload_too_large\"");
        }
        assertThat(store.list("meta/app-bundles/big/")).isEmpty();
    }

    @Test
    void identicalUploadsRacing_leaveExactlyOneBundle() throws Exception {
        byte[] body = Archives.hello("racer").file("src/r.c", "int r = 1;\n").tarGz();
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Callable<Integer> call = () -> {
                    go.await();
                    return upload("racer", body, GZIP).getStatus().value();
                };
                statuses.add(pool.submit(call));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : statuses) {
                codes.add(f.get());
            }
            assertThat(codes).containsOnly(200, 201);
            assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("bundles/")).filteredOn(i -> i.key().startsWith("bundles/sha256/")).isNotEmpty();
        assertThat(store.list("meta/app-bundles/racer/")).hasSize(1);
        try (var leftovers = java.nio.file.Files.list(DATA_DIR.resolve("blobs/.tmp"))) {
            assertThat(leftovers).as("no temporary files left behind").isEmpty();
        }
    }

    @Test
    void unknownBundle_andBadDigest_areProblems() {
        authed(web.get().uri("/v1/apps/hello/bundles/sha256/{hex}", "0".repeat(64))).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("bundle.not_found");
        authed(web.get().uri("/v1/apps/hello/bundles/sha256/xyz")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("digest.invalid");
        authed(web.post().uri("/v1/apps/Bad_Name/bundles").contentType(GZIP).bodyValue(new byte[] {1})).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("app.invalid_name");
    }
}
