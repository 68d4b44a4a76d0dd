package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.tailor.ApiTestBase;
import dev.tailor.store.BlobStore;

class TargetStatsPersistenceTest extends ApiTestBase {

    @Autowired
    TargetStats stats;
    @Autowired
    BlobStore store;

    @Test
    void resolvedTargets_areCounted_flushedToTheStore_andRestoredByAFreshProcess() throws Exception {
        for (int i = 0; i < 3; i++) {
            web.post().uri("/v1/fingerprints/resolve?app=statsapp&cpu=x86_64:fpu,cx8,cmov,mmx,fxsr,sse,sse2,sse4_1,sse4_2,popcnt,ssse3,sse3,cx16,lahf_lm")
                    .exchange().expectStatus().isOk();
        }
        web.get().uri("/v1/apps/statsapp/stats/targets").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.targets[0].target").isEqualTo("x86_64-v2")
                .jsonPath("$.targets[0].count").isEqualTo(3);
        stats.flush();
        byte[] persisted;
        try (InputStream in = store.get(TargetStats.KEY).orElseThrow()) {
            persisted = in.readAllBytes();
        }
        TargetStats restarted = new TargetStats();
        restarted.restore(persisted);
        assertThat(restarted.top("statsapp", 1)).containsExactly(new TargetStats.TargetCount("x86_64-v2", 3));
    }
}
