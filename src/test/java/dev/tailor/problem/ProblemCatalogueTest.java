package dev.tailor.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The catalogue is the one list of problem codes: unique, documented, and the only codes the sources use. */
class ProblemCatalogueTest {

    private static final Pattern CODE_LITERAL = Pattern.compile("\"((?:auth|app|bundle|manifest|channel|digest|target|"
            + "fingerprint|probe|build|boot|image|signature|provenance|range|store|request|http|payoff)\\.[a-z_]+)\"");

    /** File names that look like codes. */
    private static final Set<String> NOT_CODES = Set.of("image.elf", "image.wasm", "probe.c");

    @Test
    void codesAndEarlierSpellings_areUnique_andShaped() {
        Set<String> seen = new HashSet<>();
        for (Problem p : Problem.values()) {
            assertThat(seen.add(p.code())).as("duplicate " + p.code()).isTrue();
            p.earlierSpellings().forEach(e -> assertThat(seen.add(e)).as("duplicate " + e).isTrue());
            assertThat(p.code()).matches("[a-z]+\\.([a-z_]+|<status>)|internal");
            assertThat(p.status()).isIn(0, 400, 401, 403, 404, 405, 406, 409, 413, 415, 416, 422, 429, 500, 502, 503, 507);
            assertThat(p.retryAfterSeconds() > 0).as(p.code() + " has Retry-After only when 503 or 429")
                    .isEqualTo(p.status() == 503 || p.status() == 429);
        }
    }

    @Test
    void theReadme_showsTheCatalogue() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = Problem.markdownTable();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "problem-catalogue.md"), table);
        assertThat(readme).as("README.md's problem table is generated: copy target/problem-catalogue.md into it")
                .contains(table);
    }

    @Test
    void everyCodeLiteralInTheSources_isInTheCatalogue() throws Exception {
        List<String> unknown;
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            unknown = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    Matcher m = CODE_LITERAL.matcher(Files.readString(f));
                    List<String> codes = new java.util.ArrayList<>();
                    while (m.find()) {
                        codes.add(m.group(1));
                    }
                    return codes.stream().filter(c -> !NOT_CODES.contains(c) && Problem.of(c).isEmpty()).map(c -> f + ": " + c);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(unknown).isEmpty();
    }
}
