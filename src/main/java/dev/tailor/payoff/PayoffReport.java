package dev.tailor.payoff;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.tailor.fingerprint.RungTimes;
import dev.tailor.store.Digest;

/**
 * One payoff run's measurements of a bundle on one architecture, as a worker of one CPU model took them: every rung
 * that CPU can run, built as a {@code linux} executable and timed natively, in rounds (each round runs every rung
 * once, so a burst of load on the machine falls on all rungs alike).
 *
 * @param run    the payoff run's id (a build key: {@code GET /v1/builds/{run}} and its log)
 * @param rounds how many times each rung ran
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PayoffReport(String app, Digest bundle, String arch, String run, Instant measuredAt, MeasuredOn measuredOn,
                           int rounds, List<Result> results) {

    /**
     * The CPU of the worker that measured.
     *
     * @param nativeTarget the CPU's own answer under the native policy ({@code native} in JSON)
     * @param level        its answer under the level policy
     * @param features     its features, in the compact form
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MeasuredOn(String arch, String vendor, String model, @JsonProperty("native") String nativeTarget,
                             String level, String features) {

        /** A short stable name for the store key: the same CPU model measuring again replaces its report. */
        @JsonIgnore
        public String key() {
            byte[] h = Digest.sha256().digest((arch + "\n" + vendor + "\n" + model + "\n" + nativeTarget + "\n"
                    + features).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return nativeTarget.replaceAll("[^a-z0-9-]", "-") + "-" + HexFormat.of().formatHex(h, 0, 6);
        }

        @Override
        public String toString() {
            return (model == null || model.isBlank() ? arch : model) + " (" + nativeTarget + ")";
        }
    }

    /**
     * One rung.
     *
     * @param executable        the sha256 of the linux executable timed (a {@code linux} build of the rung gives it)
     * @param runs              how many timed runs (null when the rung failed)
     * @param speedupVsBaseline the baseline's median over this rung's
     * @param speedupVsParent   the parent rung's median over this rung's (null at the baseline or when the parent
     *                          was not measured)
     * @param metrics           the median of each figure the app reported with {@code tailor_metric}
     * @param timesNs           every run's time, in the order they ran
     * @param error             why the rung has no times (it did not build, or did not exit 0)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String target, String parent, String toolchain, Digest executable, Integer runs,
                         Long medianNs, Long minNs, Long maxNs, Double speedupVsBaseline, Double speedupVsParent,
                         Map<String, Double> metrics, List<Long> timesNs, String error) {

        public Result {
            Objects.requireNonNull(target, "target");
            metrics = metrics == null ? null : Map.copyOf(metrics);
            timesNs = timesNs == null ? null : List.copyOf(timesNs);
        }

        @JsonIgnore
        boolean measured() {
            return error == null && medianNs != null && minNs != null && maxNs != null;
        }

        /** The spread the auto policy compares: min..max, without the two extremes when there are five runs or more. */
        @JsonIgnore
        RungTimes.Time time() {
            if (timesNs == null || timesNs.size() < 5) {
                return new RungTimes.Time(medianNs, minNs, maxNs);
            }
            List<Long> sorted = timesNs.stream().sorted().toList();
            return new RungTimes.Time(medianNs, sorted.get(1), sorted.get(sorted.size() - 2));
        }
    }

    public PayoffReport {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(measuredOn, "measuredOn");
        results = List.copyOf(results);
    }

    /** The times as the auto policy reads them. */
    public RungTimes times() {
        PayoffReport report = this;
        return new RungTimes() {
            @Override
            public String arch() {
                return report.arch;
            }

            @Override
            public String measuredOn() {
                return report.measuredOn.toString();
            }

            @Override
            public String nativeTarget() {
                return report.measuredOn.nativeTarget();
            }

            @Override
            public String levelTarget() {
                return report.measuredOn.level();
            }

            @Override
            public Optional<Time> time(String targetId) {
                return report.result(targetId).filter(Result::measured).map(Result::time);
            }
        };
    }

    public Optional<Result> result(String target) {
        return results.stream().filter(r -> r.target().equals(target)).findFirst();
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }
}
