package dev.tailor.builds;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.core.env.Environment;

import dev.tailor.catalog.Arch;

/**
 * Which roles this process plays, read from {@code tailor.mode}, {@code tailor.dispatch.type} and
 * {@code tailor.worker.archs}, and checked together at start, so that a bad combination stops the process with a
 * message naming the keys instead of starting something that never builds.
 *
 * @param mode        {@code all} (API and workers in one process, the default), {@code api} (no workers) or
 *                    {@code worker} (consumes build queues; keeps HTTP for health and metrics)
 * @param amqp        builds travel through RabbitMQ ({@code tailor.dispatch.type=amqp}) rather than in-process pools
 * @param workerArchs the architectures whose builds this process runs; empty in the API mode
 */
public record Deployment(Mode mode, boolean amqp, Set<Arch> workerArchs) {

    public enum Mode {
        ALL, API, WORKER
    }

    public Deployment {
        workerArchs = workerArchs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(workerArchs));
    }

    public static Deployment from(Environment env) {
        String modeName = env.getProperty("tailor.mode", "all").trim().toLowerCase(Locale.ROOT);
        Mode mode = switch (modeName) {
            case "all" -> Mode.ALL;
            case "api" -> Mode.API;
            case "worker" -> Mode.WORKER;
            default -> throw bad("tailor.mode must be all, api or worker, not '" + modeName + "'");
        };
        String dispatch = env.getProperty("tailor.dispatch.type", "local").trim().toLowerCase(Locale.ROOT);
        if (!dispatch.equals("local") && !dispatch.equals("amqp")) {
            throw bad("tailor.dispatch.type must be local or amqp, not '" + dispatch + "'");
        }
        boolean amqp = dispatch.equals("amqp");
        String archList = env.getProperty("tailor.worker.archs", "").trim();
        Set<Arch> archs = archList.isEmpty() ? EnumSet.noneOf(Arch.class) : parseArchs(archList);
        if (mode != Mode.ALL && !amqp) {
            throw bad("tailor.mode=" + modeName + " runs API and workers in separate processes, which needs "
                    + "tailor.dispatch.type=amqp (with spring.rabbitmq.*); for one process use tailor.mode=all");
        }
        if (mode == Mode.API && !archs.isEmpty()) {
            throw bad("tailor.mode=api runs no workers, so tailor.worker.archs=" + archList + " would be ignored; "
                    + "remove it, or use tailor.mode=all or worker");
        }
        if (mode == Mode.WORKER && archs.isEmpty()) {
            throw bad("tailor.mode=worker needs tailor.worker.archs, the architectures whose queues it serves "
                    + "(for example x86_64,i686)");
        }
        if (mode == Mode.ALL && !amqp && !archs.isEmpty()) {
            throw bad("tailor.worker.archs applies to workers on RabbitMQ (tailor.dispatch.type=amqp); the in-process "
                    + "workers of tailor.mode=all build every architecture");
        }
        if (mode != Mode.ALL && env.getProperty("tailor.signing.private-key-pem", "").isBlank()
                && env.getProperty("tailor.signing.key-file", "").isBlank()) {
            // Workers sign, the API publishes the key at /v1/keys: keys generated per data directory would never
            // match, and every image would fail verification on the device.
            throw bad("tailor.mode=" + modeName + " needs the fleet's signing key, the same in every process: "
                    + "set tailor.signing.key-file (or tailor.signing.private-key-pem); make one with "
                    + "openssl genpkey -algorithm ed25519");
        }
        if (mode == Mode.ALL && archs.isEmpty()) {
            archs = EnumSet.allOf(Arch.class);
        }
        return new Deployment(mode, amqp, mode == Mode.API ? Set.of() : archs);
    }

    private static Set<Arch> parseArchs(String list) {
        EnumSet<Arch> archs = EnumSet.noneOf(Arch.class);
        for (String name : list.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            archs.add(Arch.parse(name).orElseThrow(() -> bad("tailor.worker.archs: unknown architecture '"
                    + name.trim() + "' (known: " + Arch.known() + ")")));
        }
        return archs;
    }

    /** Whether this process answers the build API and so must hear how builds end. */
    public boolean servesApi() {
        return mode != Mode.WORKER;
    }

    private static IllegalStateException bad(String message) {
        return new IllegalStateException("Invalid deployment configuration: " + message);
    }
}
