package dev.tailor.toolchain;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.env.Environment;

import dev.tailor.catalog.Arch;
import dev.tailor.problem.Problem;

/**
 * Whether this process can build for each architecture, checked once at start: a machine without clang, lld or
 * bubblewrap is a clear state, not a 500. Builds (and boots and probes that would need one) for an architecture
 * missing a tool answer 503 {@code build.toolchain_unavailable} naming the tool and how to install it; the health
 * endpoint's {@code toolchains} component shows each architecture; one warning at start says what is missing. An API
 * replica ({@code tailor.mode=api}) builds nothing and checks nothing.
 */
public class ToolchainAvailability {

    private static final Logger log = LoggerFactory.getLogger(ToolchainAvailability.class);

    private final Map<Arch, List<String>> missing;

    public ToolchainAvailability(ImageCompiler compiler, Environment env) {
        if ("api".equalsIgnoreCase(env.getProperty("tailor.mode", "all"))) {
            missing = Map.of();
            return;
        }
        boolean sandbox = !"none".equals(env.getProperty("tailor.worker.sandbox", "bwrap"));
        missing = ToolchainCheck.missing(compiler.toolchains(), EnumSet.allOf(Arch.class), sandbox,
                System.getenv().getOrDefault("PATH", ""));
        Map<Arch, List<String>> lacking = new LinkedHashMap<>(missing);
        lacking.values().removeIf(List::isEmpty);
        if (!lacking.isEmpty()) {
            log.warn("This machine cannot build for {}: {} ({})", lacking.keySet(),
                    String.join("; ", lacking.values().iterator().next()), ToolchainCheck.INSTALL);
        }
        compiler.checkToolsWith(this::require);
    }

    /** @throws dev.tailor.problem.TailorException 503 when the architecture's tools are missing here */
    public void require(Arch arch) {
        List<String> lacks = missing.getOrDefault(arch, List.of());
        if (!lacks.isEmpty()) {
            throw Problem.BUILD_TOOLCHAIN_UNAVAILABLE.because("This server cannot build for " + arch.id() + ": "
                    + String.join("; ", lacks) + " (" + ToolchainCheck.INSTALL + ")");
        }
    }

    /** One health indicator per architecture: UP, or DOWN with what is missing. */
    public Map<String, HealthIndicator> indicators() {
        Map<String, HealthIndicator> all = new LinkedHashMap<>();
        for (Arch arch : Arch.values()) {
            List<String> lacks = missing.getOrDefault(arch, List.of());
            all.put(arch.id(), () -> lacks.isEmpty() ? Health.up().build()
                    : Health.down().withDetail("missing", lacks).withDetail("install", ToolchainCheck.INSTALL).build());
        }
        return all;
    }
}
