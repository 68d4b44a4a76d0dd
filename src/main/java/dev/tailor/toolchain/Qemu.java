package dev.tailor.toolchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tailor.catalog.Arch;

/**
 * Boots images under QEMU and decodes how they stopped. The machine and exit mechanism per architecture come
 * from the toolchain descriptions; the command runs through a {@link CommandRunner}, because semihosting lets a
 * guest touch host files and so belongs in the same sandbox as the compiler.
 */
public final class Qemu {

    /** The runtime's last console line: without it, QEMU's status could be its own start-up failure. */
    private static final Pattern EXIT_LINE = Pattern.compile("(?m)^tailor: exit (\\d+)$");

    private final Toolchains toolchains;
    private final CommandRunner runner;

    public Qemu(Toolchains toolchains, CommandRunner runner) {
        this.toolchains = toolchains;
        this.runner = runner;
    }

    /**
     * How one boot ended.
     *
     * @param exitCode      the code the guest exited with (main's return value or a runtime exit code), or -1 when
     *                      the guest did not exit through the runtime (crash, hang, QEMU error)
     * @param processStatus QEMU's own exit status
     * @param console       the guest's console output, line ends normalised to \n
     * @param stderr        QEMU's own messages
     */
    public record Boot(int exitCode, int processStatus, String console, String stderr, boolean timedOut) {

        public boolean exitedCleanly() {
            return exitCode >= 0;
        }
    }

    public List<String> command(Arch arch, String cpuModel, Path image) {
        Toolchain.QemuMachine m = toolchains.forArch(arch).qemu();
        List<String> argv = new ArrayList<>();
        argv.add(m.binary());
        argv.addAll(m.args());
        argv.addAll(List.of("-cpu", cpuModel, "-kernel", image.toString()));
        return argv;
    }

    public Boot boot(Arch arch, String cpuModel, Path image, Duration timeout) {
        Path dir = image.toAbsolutePath().getParent();
        CommandRunner.Result r = runner.run(command(arch, cpuModel, image.toAbsolutePath()), dir, timeout);
        String console = r.stdout().replace("\r\n", "\n");
        int code = r.timedOut() ? -1 : decode(toolchains.forArch(arch).qemu().exit(), r.exitCode(), console);
        return new Boot(code, r.exitCode(), console, r.stderr(), r.timedOut());
    }

    static int decode(Toolchain.ExitDevice device, int status, String console) {
        int code = switch (device) {
            case ISA_DEBUG_EXIT -> (status & 1) == 1 ? status >> 1 : -1;
            case SEMIHOSTING, SIFIVE_TEST -> status;
        };
        Matcher m = EXIT_LINE.matcher(console);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return code >= 0 && last == code ? code : -1;
    }
}
