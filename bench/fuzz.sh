#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers of hostile input, for longer than the suite does (notes/fuzzing.md). Each
# @FuzzTest (the *FuzzTest classes: archives, tailor.yaml, every fingerprint form, Range) runs under Jazzer's own
# launcher in a JVM of its own (Jazzer fuzzes one per JVM), starting from its committed inputs
# (src/test/resources/<package>/<Class>Inputs/<method>/) and what earlier runs grew in .cifuzz-corpus/ (where this
# run's new entries are added too).
#
#   bench/fuzz.sh [seconds-per-target] [Class...]   (default 300 s each, every *FuzzTest; needs java 17)
#
# Writes under $OUT (default target/fuzz/<date>), per class: corpus/ (the inputs this run found new coverage with),
# crash-* / timeout-* / oom-* (the findings: each is an input to commit into the class's Inputs directory once the
# main code is fixed, where the suite replays it as a regression test) and log.txt; and summary.txt, which it
# also prints. Exits 1 when anything was found. Environment: OUT, FUZZ_XMX (default 1g), FUZZ_TIMEOUT (seconds one
# input may take before it counts as a finding, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-300}
shift || true
OUT=${OUT:-target/fuzz/$(date -u +%Y%m%dT%H%M%SZ)}
XMX=${FUZZ_XMX:-1g}
TIMEOUT=${FUZZ_TIMEOUT:-30}
# as the suite's fuzz execution (pom.xml, fuzz.instrument): the libraries that parse for us are fuzzed through ours
INSTRUMENT='dev.tailor.**,org.apache.commons.compress.**,tools.jackson.**,org.snakeyaml.**'

./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
CP=target/test-classes:target/classes:$(cat target/test-classpath.txt)

# Class (fully qualified) and method of every @FuzzTest, from the sources (one per class: EveryTestRunsTest checks)
targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' src/test/java | sort | while read -r f; do
    class=$(echo "${f#src/test/java/}" | sed 's/\.java$//; s#/#.#g')
    method=$(grep -A3 '@FuzzTest' "$f" | grep -oE 'void [A-Za-z0-9_]+' | head -1 | cut -d' ' -f2)
    echo "$class $method"
  done
}

mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
found=0
while read -r class method; do
  simple=${class##*.}
  if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$simple"; then
    continue
  fi
  dir=$OUT/$simple
  mkdir -p "$dir/corpus"
  inputs=src/test/resources/$(echo "${class%.*}" | tr . /)/${simple}Inputs/$method
  echo "fuzzing $simple#$method for $SECONDS_EACH s (log: $dir/log.txt)" >&2
  set +e
  java -Xmx"$XMX" -cp "$CP" com.code_intelligence.jazzer.Jazzer --target_class="$class" --target_method="$method" \
    --hooks=true --instrument="$INSTRUMENT" -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" \
    -rss_limit_mb=0 -artifact_prefix="$dir/" "$dir/corpus" "$inputs" >"$dir/log.txt" 2>&1
  rc=$?
  set -e
  last=$(grep -E '^#[0-9]+' "$dir/log.txt" | tail -1 || true)
  runs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | cut -d' ' -f2)
  # (a slow-unit-* file is no finding: the first input pays for loading the catalog and instrumenting Jackson)
  crashes=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  new=$(find "$dir/corpus" -type f | wc -l)
  # what the suite and the next run start from (ignored by git; Jazzer reads it as well)
  mkdir -p ".cifuzz-corpus/$class/$method"
  find "$dir/corpus" -type f -exec cp -n {} ".cifuzz-corpus/$class/$method/" \;
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    found=1
  fi
  printf '%-28s %10s runs  cov %6s  %5s new corpus entries  %s finding(s)  exit %s\n' "$simple" "${runs:-?}" \
    "${cov:-?}" "$new" "$crashes" "$rc" | tee -a "$SUMMARY"
done < <(targets)
echo "corpus entries, findings and logs: $OUT" | tee -a "$SUMMARY"
exit "$found"
