package dev.tailor.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

import dev.tailor.TailorApplication;
import dev.tailor.catalog.Arch;

class DeploymentTest {

    private static Deployment of(String... pairs) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < pairs.length; i += 2) {
            env.setProperty(pairs[i], pairs[i + 1]);
        }
        return Deployment.from(env);
    }

    @Test
    void default_isEverythingInOneProcess_withInProcessWorkersForEveryArch() {
        Deployment d = of();
        assertThat(d.mode()).isEqualTo(Deployment.Mode.ALL);
        assertThat(d.amqp()).isFalse();
        assertThat(d.workerArchs()).isEqualTo(EnumSet.allOf(Arch.class));
        assertThat(d.servesApi()).isTrue();
    }

    @Test
    void worker_servesOnlyTheNamedArchitectures_acceptingAliases() {
        Deployment d = of("tailor.mode", "worker", "tailor.dispatch.type", "amqp", "tailor.worker.archs", "arm64, armhf",
                "tailor.signing.key-file", "/etc/tailor/signing.pem");
        assertThat(d.workerArchs()).containsExactlyInAnyOrder(Arch.AARCH64, Arch.ARMV7);
        assertThat(d.servesApi()).isFalse();
    }

    @Test
    void api_runsNoWorkers() {
        Deployment d = of("tailor.mode", "api", "tailor.dispatch.type", "amqp", "tailor.signing.key-file",
                "/etc/tailor/signing.pem");
        assertThat(d.workerArchs()).isEmpty();
        assertThat(d.servesApi()).isTrue();
    }

    @Test
    void badCombinations_areRefusedWithMessagesNamingTheKeys() {
        assertThatThrownBy(() -> of("tailor.mode", "api")).hasMessageContaining("tailor.dispatch.type=amqp");
        assertThatThrownBy(() -> of("tailor.mode", "worker", "tailor.worker.archs", "x86_64"))
                .hasMessageContaining("tailor.dispatch.type=amqp");
        assertThatThrownBy(() -> of("tailor.mode", "worker", "tailor.dispatch.type", "amqp"))
                .hasMessageContaining("tailor.worker.archs");
        assertThatThrownBy(() -> of("tailor.mode", "api", "tailor.dispatch.type", "amqp", "tailor.worker.archs", "x86_64"))
                .hasMessageContaining("tailor.worker.archs");
        assertThatThrownBy(() -> of("tailor.worker.archs", "x86_64")).hasMessageContaining("tailor.dispatch.type=amqp");
        assertThatThrownBy(() -> of("tailor.mode", "workers")).hasMessageContaining("tailor.mode must be");
        assertThatThrownBy(() -> of("tailor.dispatch.type", "kafka")).hasMessageContaining("local or amqp");
        assertThatThrownBy(() -> of("tailor.mode", "worker", "tailor.dispatch.type", "amqp", "tailor.worker.archs", "sparc"))
                .hasMessageContaining("unknown architecture 'sparc'");
    }

    @Test
    void separateApiAndWorkers_needOneConfiguredSigningKey() {
        assertThatThrownBy(() -> of("tailor.mode", "worker", "tailor.dispatch.type", "amqp", "tailor.worker.archs",
                "x86_64")).hasMessageContaining("tailor.signing.key-file");
        assertThatThrownBy(() -> of("tailor.mode", "api", "tailor.dispatch.type", "amqp"))
                .hasMessageContaining("signing key");
        assertThat(of("tailor.mode", "api", "tailor.dispatch.type", "amqp", "tailor.signing.private-key-pem",
                "-----BEGIN PRIVATE KEY-----...").servesApi()).isTrue();
    }

    @Test
    void theServiceRefusesToStart_withABadCombination_sayingWhichKeysToSet(@TempDir Path data) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TailorApplication.class).run("--tailor.mode=api",
                "--server.port=0", "--tailor.data-dir=" + data, "--spring.main.banner-mode=off"))
                .rootCause().hasMessageContaining("tailor.mode=api").hasMessageContaining("tailor.dispatch.type=amqp");
    }
}
