package dev.tailor.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.auth.TokenRefused;
import dev.tailor.store.BlobStore;
import dev.tailor.store.Documents;
import dev.tailor.store.FileSystemBlobStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * A token is refused on the connection's event loop: recording the refusal must not wait for the store (an S3 PUT
 * when distributed), or a flood of bad tokens would hold the loop. A store that stalls is a fault this test cannot
 * cause on a real one, so the real filesystem store sits behind a gate.
 */
class SlowStoreAuditTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedToken_isRecordedWithoutWaitingForTheStore_andTheRecordLandsOnceItAnswers() throws Exception {
        BlobStore real = new FileSystemBlobStore(dir);
        CountDownLatch gate = new CountDownLatch(1);
        BlobStore gated = (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("put")) {
                        assertThat(gate.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Documents documents = new Documents(gated, JsonMapper.builder().build(), Duration.ofSeconds(1), 100);
        AuditTrail trail = new AuditTrail(documents, Clock.systemUTC());

        // a synchronous write would wait here at the shut gate, then fail
        trail.on(new TokenRefused("slowapp", null, "auth.invalid_token", "GET", "/v1/apps/slowapp/bundles", "127.0.0.1"));
        assertThat(gate.getCount()).isOne();
        assertThat(real.list("audit/slowapp/")).isEmpty();

        gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !real.list("audit/slowapp/").isEmpty());
        assertThat(trail.list("slowapp", 10)).singleElement()
                .satisfies(e -> assertThat(e.action()).isEqualTo("token_refused"))
                .satisfies(e -> assertThat(e.details()).containsAllEntriesOf(Map.of("path", "/v1/apps/slowapp/bundles")));
    }
}
