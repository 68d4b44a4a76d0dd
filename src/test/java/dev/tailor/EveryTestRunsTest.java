package dev.tailor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every class with tests is run by the suite: Surefire picks classes by name ({@code *Test}, {@code *Properties},
 * pom.xml), so a test class named otherwise would silently never run (as the resolver's property test once did).
 * The two classes run only by the benchmark scripts are named here, with their script.
 */
class EveryTestRunsTest {

    /** Run by bench/amqp-roundtrip.sh and by hand (mvn -Dtest=CorpusAccuracyReport), never as part of the suite. */
    static final Set<String> RUN_ELSEWHERE = Set.of("dev.tailor.amqp.AmqpRoundTripBench",
            "dev.tailor.fingerprint.CorpusAccuracyReport");

    /** Jazzer's: run over its committed inputs like any test, and fuzzed by the fuzz execution (pom.xml). */
    static final String FUZZ_TEST = "com.code_intelligence.jazzer.junit.FuzzTest";

    static final Set<String> TEST_ANNOTATIONS = Set.of("org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest", "org.junit.jupiter.api.RepeatedTest",
            "org.junit.jupiter.api.TestFactory", "org.junit.jupiter.api.TestTemplate", "net.jqwik.api.Property",
            "net.jqwik.api.Example", FUZZ_TEST);

    static boolean hasTests(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getRawSuperclass().orElse(null)) {
            for (JavaMethod m : k.getMethods()) {
                if (m.getAnnotations().stream().anyMatch(a -> TEST_ANNOTATIONS.contains(a.getRawType().getName()))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void everyClassWithTests_isNamedSoTheSuiteRunsIt() {
        List<String> missed = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.tailor")) {
            if (c.getModifiers().contains(JavaModifier.ABSTRACT) || c.isNestedClass() || !hasTests(c)) {
                continue;
            }
            found.add(c.getName());
            boolean runs = c.getSimpleName().endsWith("Test") || c.getSimpleName().endsWith("Properties");
            if (!runs && !RUN_ELSEWHERE.contains(c.getName())) {
                missed.add(c.getName());
            }
        }
        assertThat(found).as("the scan sees the test classes").contains("dev.tailor.EveryTestRunsTest",
                "dev.tailor.fingerprint.ResolverSafetyProperties");
        assertThat(missed).as("classes with tests that Surefire's includes (pom.xml) do not match").isEmpty();
    }

    /**
     * Jazzer fuzzes one @FuzzTest per JVM, and the suite's fuzz execution (pom.xml) forks one JVM per class whose
     * name ends in FuzzTest: so each such class holds exactly one, or the others would never be fuzzed.
     */
    @Test
    void everyFuzzTest_isTheOnlyOneInItsClass_andNamedSoTheFuzzExecutionFuzzesIt() {
        List<String> wrong = new ArrayList<>();
        List<String> fuzzed = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("dev.tailor")) {
            long fuzzTests = c.getMethods().stream().filter(m -> m.isAnnotatedWith(FUZZ_TEST)).count();
            if (fuzzTests == 0) {
                continue;
            }
            fuzzed.add(c.getSimpleName());
            if (fuzzTests > 1 || !c.getSimpleName().endsWith("FuzzTest")) {
                wrong.add(c.getName() + " (" + fuzzTests + " @FuzzTest)");
            }
        }
        assertThat(fuzzed).as("the scan sees the fuzz tests").contains("BundleFuzzTest", "ManifestFuzzTest",
                "CpuinfoFuzzTest", "JsonFingerprintFuzzTest", "CompactFingerprintFuzzTest", "RangeFuzzTest");
        assertThat(wrong).as("classes with more than one @FuzzTest, or not named *FuzzTest").isEmpty();
    }
}
