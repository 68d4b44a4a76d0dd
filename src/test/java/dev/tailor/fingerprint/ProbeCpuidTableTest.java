package dev.tailor.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The probe ({@code compiler-workers/probe/probe.c}) prints feature names from CPUID bits, and {@link CpuidDecoder}
 * decodes raw CPUID from devices that send it: two tables of the same bits, one in C and one in Java. This reads the
 * probe's x86 table as C and checks that the decoder gives every (leaf, register, bit) the probe prints the same
 * name, so a device's fingerprint means the same whichever way it was taken.
 */
class ProbeCpuidTableTest {

    private static final Path PROBE = Path.of("compiler-workers/probe/probe.c");
    private static final List<String> REGISTERS = List.of("eax", "ebx", "ecx", "edx"); // the order cpuid() fills r[]

    /** {@code cpuid(0x80000001u, 0, rx1);}: which leaf each register array holds. */
    private static final Pattern CPUID_CALL = Pattern.compile("cpuid\\((\\w+), (\\w+), (\\w+)\\)");
    /** {@code c = r1[2]}: a short name for one register of one leaf. */
    private static final Pattern ALIAS = Pattern.compile("\\b(\\w+) = (\\w+)\\[(\\d)\\]");
    /** {@code int avx = BIT(r1[2], 28) && ...}: a condition named once and used as a feature's own bit. */
    private static final Pattern NAMED_BIT = Pattern.compile("int (\\w+) = BIT\\(([^,]+), (\\d+)\\)");
    private static final Pattern FEATURE = Pattern.compile("feature\\((.+), \"(\\w+)\"\\);");
    private static final Pattern BIT = Pattern.compile("BIT\\(([^,]+), (\\d+)\\)");

    /** One entry of the probe's table. */
    record Entry(String leaf, String register, int bit, String name) {
    }

    @Test
    void everyCpuidBitTheProbePrints_isDecodedToTheSameName() throws IOException {
        List<Entry> table = probeTable(x86Section(Files.readString(PROBE)));

        assertThat(table).as("the probe's x86 table, as read from " + PROBE).hasSizeGreaterThan(80);
        List<String> disagreements = new ArrayList<>();
        for (Entry e : table) {
            Optional<String> decoded = CpuidDecoder.bitName(e.leaf(), e.register(), e.bit());
            if (!decoded.equals(Optional.of(e.name()))) {
                disagreements.add("leaf " + e.leaf() + " " + e.register() + " bit " + e.bit() + ": the probe prints '"
                        + e.name() + "', the decoder " + decoded.map(n -> "says '" + n + "'").orElse("has nothing"));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    private static String x86Section(String probe) {
        int start = probe.indexOf("#if defined(__x86_64__) || defined(__i386__)");
        int end = probe.indexOf("#elif defined(__aarch64__)");
        assertThat(start).as("the probe's x86 section").isNotNegative().isLessThan(end);
        return probe.substring(start, end);
    }

    /** Every {@code feature(...)} line of the section as (leaf, register, bit, name); fails on one it cannot read. */
    static List<Entry> probeTable(String c) {
        Map<String, String> leafOfArray = new HashMap<>();
        for (Matcher m = CPUID_CALL.matcher(c); m.find(); ) {
            leafOfArray.put(m.group(3), CpuidDecoder.leafKey(m.group(1).replaceAll("u$", "") + "." + m.group(2)));
        }
        Map<String, String> aliases = new HashMap<>();
        for (Matcher m = ALIAS.matcher(c); m.find(); ) {
            aliases.put(m.group(1), m.group(2) + "[" + m.group(3) + "]");
        }
        Map<String, String[]> named = new HashMap<>();
        for (Matcher m = NAMED_BIT.matcher(c); m.find(); ) {
            named.put(m.group(1), new String[] {m.group(2), m.group(3)});
        }
        List<Entry> table = new ArrayList<>();
        for (Matcher m = FEATURE.matcher(c); m.find(); ) {
            String condition = m.group(1);
            String[] bit = null;
            for (Matcher b = BIT.matcher(condition); b.find(); ) {
                bit = new String[] {b.group(1), b.group(2)}; // the last one: gates such as 'avx &&' come first
            }
            if (bit == null) {
                bit = named.get(condition.strip());
            }
            assertThat(bit).as("the bit of probe feature '%s' (%s)", m.group(2), condition).isNotNull();
            String register = aliases.getOrDefault(bit[0].strip(), bit[0].strip());
            Matcher r = Pattern.compile("(\\w+)\\[(\\d)\\]").matcher(register);
            assertThat(r.matches()).as("register of '%s': %s", m.group(2), register).isTrue();
            String leaf = leafOfArray.get(r.group(1));
            assertThat(leaf).as("the leaf of %s", r.group(1)).isNotNull();
            table.add(new Entry(leaf, REGISTERS.get(Integer.parseInt(r.group(2))), Integer.parseInt(bit[1]),
                    m.group(2)));
        }
        return table;
    }
}
