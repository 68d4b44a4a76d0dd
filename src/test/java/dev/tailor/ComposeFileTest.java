package dev.tailor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docker-compose.yml is checked offline by Debian's docker-compose (no engine needed), and its resolved form must
 * describe the distributed deployment the README promises.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");

    @Test
    void composeFile_isValid_andRunsApiTwoWorkersRabbitS3AndAnEdge() throws Exception {
        assumeTrue(onPath("docker-compose"),
                "docker-compose is not installed (scripts/install-test-services.sh installs it): compose file unchecked");

        Result quiet = compose("config", "-q");
        assertThat(quiet.exit()).as(quiet.output()).isZero();

        Result resolved = compose("config");
        assertThat(resolved.exit()).as(resolved.output()).isZero();
        JsonNode services = new YAMLMapper().readTree(resolved.stdout()).get("services");
        assertThat(services.propertyNames()).contains("api", "worker-x86", "worker-arm", "worker-riscv", "rabbitmq", "s3",
                "edge");

        JsonNode api = services.get("api").get("environment");
        assertThat(api.get("TAILOR_MODE").asString()).isEqualTo("api");
        assertThat(api.get("TAILOR_WEB_TRUSTEDPROXIES").asString()).as("the edge, in the API's network namespace")
                .isEqualTo("127.0.0.1");
        assertThat(api.get("TAILOR_STORE_TYPE").asString()).isEqualTo("s3");
        assertThat(api.get("TAILOR_DISPATCH_TYPE").asString()).isEqualTo("amqp");
        assertThat(api.get("TAILOR_STORE_S3_PATHSTYLE").asString()).isEqualTo("true");

        JsonNode arm = services.get("worker-arm").get("environment");
        assertThat(arm.get("TAILOR_MODE").asString()).isEqualTo("worker");
        assertThat(arm.get("TAILOR_WORKER_ARCHS").asString()).isEqualTo("aarch64,armv7");
        assertThat(services.get("worker-riscv").get("environment").get("TAILOR_WORKER_ARCHS").asString())
                .isEqualTo("riscv64");
        JsonNode x86 = services.get("worker-x86");
        assertThat(x86.get("environment").get("TAILOR_MODE").asString()).isEqualTo("worker");
        assertThat(x86.get("build").get("dockerfile").asString()).isEqualTo("compiler-workers/Dockerfile");

        assertThat(services.get("edge").get("volumes").toString()).contains("cdn-config/varnish/tailor.vcl");
        assertThat(Path.of("Dockerfile")).isRegularFile();
        assertThat(Path.of("compiler-workers/Dockerfile")).content().contains("install-toolchains.sh", "bookworm");
    }

    record Result(int exit, String stdout, String output) {
    }

    private static Result compose(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("compose", ".out");
        Path err = Files.createTempFile("compose", ".err");
        try {
            List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("docker-compose " + String.join(" ", args) + " took over 60 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            return new Result(p.exitValue(), stdout, stdout + Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
