package dev.tailor.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Boots an image the way the catalog says ({@code GET /v1/targets/{id}}: {@code qemu.binary}, {@code qemu.args}, the
 * CPU model {@code qemu.runs}), prints the guest's console, and decodes how it stopped: the runtime's last line
 * {@code tailor: exit N} must agree with QEMU's status, which the exit device encodes.
 */
final class QemuRun {

    private static final Pattern EXIT_LINE = Pattern.compile("^tailor: exit (\\d+)$");

    private QemuRun() {
    }

    static int boot(TailorCli root, Api api, String target, Path image, int timeoutSeconds)
            throws IOException, InterruptedException {
        JsonNode qemu = api.get("v1/targets/" + Api.encode(target)).path("qemu");
        if (!qemu.isObject()) {
            throw new CliException(CliException.USAGE, target + " is not booted in QEMU (a WebAssembly module runs "
                    + "in a wasm runtime)");
        }
        if (qemu.path("runs").isNull() || qemu.path("runs").isMissingNode()) {
            throw new CliException(CliException.FAILED, "QEMU emulates no CPU model with every feature " + target
                    + " uses; run the image on a device");
        }
        List<String> command = new ArrayList<>();
        command.add(qemu.path("binary").asString());
        qemu.path("args").forEach(a -> command.add(a.asString()));
        command.addAll(List.of("-cpu", qemu.path("runs").asString(), "-kernel", image.toString()));
        root.env.err().println("booting: " + String.join(" ", command));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot start " + command.get(0) + " (install QEMU: Debian's "
                    + "qemu-system-x86 / qemu-system-arm / qemu-system-misc): " + e.getMessage());
        }
        Integer lastExit = console(root, p, timeoutSeconds);
        if (p.isAlive()) {
            p.destroyForcibly().waitFor();
            throw new CliException(CliException.FAILED, "the guest was still running after " + timeoutSeconds
                    + " s and was stopped");
        }
        int status = p.exitValue();
        int code = qemu.path("exit").asString().equals("isa-debug-exit") ? ((status & 1) == 1 ? status >> 1 : -1) : status;
        if (lastExit == null || lastExit != code) {
            throw new CliException(CliException.FAILED, "the guest stopped without exiting through the runtime (QEMU "
                    + "status " + status + ")");
        }
        if (code != 0) {
            throw new CliException(CliException.FAILED, "the app exited with " + code);
        }
        return 0;
    }

    /** Copies the console until the guest ends or the time is up; answers the last exit line's code. */
    private static Integer console(TailorCli root, Process p, int timeoutSeconds) throws InterruptedException {
        Integer[] last = {null};
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String clean = line.replace("\r", "");
                    root.env.out().println(clean);
                    Matcher m = EXIT_LINE.matcher(clean);
                    if (m.matches()) {
                        synchronized (last) {
                            last[0] = Integer.parseInt(m.group(1));
                        }
                    }
                }
            } catch (IOException e) {
                // the guest is gone
            }
        }, "qemu-console");
        reader.setDaemon(true);
        reader.start();
        p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!p.isAlive()) {
            reader.join(5000);
        }
        synchronized (last) {
            return last[0];
        }
    }
}
