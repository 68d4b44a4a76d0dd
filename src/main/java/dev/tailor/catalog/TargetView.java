package dev.tailor.catalog;

import java.util.List;
import java.util.SortedSet;

/**
 * A target as the API shows it: {@code policy} is {@code level} for ladder rungs and {@code native} for named
 * microarchitectures. The detail adds what a build would use.
 */
public record TargetView(String id, String arch, String parent, SortedSet<String> features, String policy) {

    public static TargetView of(Target t) {
        return new TargetView(t.id(), t.arch().id(), t.parent(), t.features(), policyOf(t));
    }

    static String policyOf(Target t) {
        return t.kind() == Target.Kind.LEVEL ? "level" : "native";
    }

    /** One target with its compiler flags, description and how to boot its images ({@code qemu}, null for wasm32). */
    public record Detail(String id, String arch, String parent, SortedSet<String> features, String policy,
                         List<String> cflags, String description, QemuView qemu) {

        public static Detail of(Target t, BootMachines machines) {
            return new Detail(t.id(), t.arch().id(), t.parent(), t.features(), TargetView.policyOf(t), t.cflags(),
                    t.description(), machines.forArch(t.arch()).map(m -> QemuView.of(t, m)).orElse(null));
        }
    }

    /**
     * How to try the target's image in QEMU: {@code runs} is a CPU model that has every feature the target uses (null
     * when QEMU's TCG emulates none), {@code faults} one that lacks some (the image then stops with a clear message),
     * {@code command} the whole command line with {@code runs} and {@code <image>} for the image file.
     */
    public record QemuView(String binary, String machine, List<String> args, String exit, String runs, String faults,
                           String command) {

        static QemuView of(Target t, BootMachines.Machine m) {
            String runs = t.qemu().runs();
            StringBuilder command = new StringBuilder(m.binary());
            m.args().forEach(a -> command.append(' ').append(a));
            if (runs != null) {
                command.append(" -cpu ").append(runs);
            }
            command.append(" -kernel <image>");
            return new QemuView(m.binary(), m.machine(), m.args(), m.exit(), runs, t.qemu().faults(),
                    command.toString());
        }
    }
}
