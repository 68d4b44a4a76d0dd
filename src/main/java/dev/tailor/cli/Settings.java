package dev.tailor.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code tailor login} keeps in the config directory ({@code config.json}, mode 0600: it holds a token) and what
 * later commands remember ({@code state.json}: the bundle last pushed per app). {@code TAILOR_URL} and
 * {@code TAILOR_TOKEN} override the login, for CI.
 */
final class Settings {

    static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    /** A key pinned at login: images must verify with one of them. */
    record PinnedKey(String id, String publicKeyPem) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Login(String url, String token, List<PinnedKey> keys) {
        Login {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }

    /**
     * @param pushed    the bundle last pushed, per app
     * @param canonical the canonical fingerprint the service answered, per sha256 of the fingerprint sent: later boots
     *                  ask with it (a GET that CDN edges answer for every device of the model)
     */
    record State(Map<String, String> pushed, Map<String, String> canonical) {
        State {
            pushed = pushed == null ? Map.of() : Map.copyOf(pushed);
            canonical = canonical == null ? Map.of() : Map.copyOf(canonical);
        }
    }

    private final Path dir;

    Settings(Path dir) {
        this.dir = dir;
    }

    Path configFile() {
        return dir.resolve("config.json");
    }

    Login login() {
        return read(configFile(), Login.class, new Login(null, null, List.of()));
    }

    void saveLogin(Login login) {
        write(configFile(), login);
    }

    String pushed(String app) {
        return state().pushed().get(app);
    }

    void rememberPush(String app, String digest) {
        State s = state();
        Map<String, String> pushed = new TreeMap<>(s.pushed());
        pushed.put(app, digest);
        write(dir.resolve("state.json"), new State(pushed, s.canonical()));
    }

    String canonical(String fingerprintSha256) {
        return state().canonical().get(fingerprintSha256);
    }

    void rememberCanonical(String fingerprintSha256, String canonical) {
        State s = state();
        Map<String, String> known = new TreeMap<>(s.canonical());
        known.put(fingerprintSha256, canonical);
        write(dir.resolve("state.json"), new State(s.pushed(), known));
    }

    private State state() {
        return read(dir.resolve("state.json"), State.class, new State(Map.of(), Map.of()));
    }

    private <T> T read(Path file, Class<T> type, T absent) {
        if (!Files.exists(file)) {
            return absent;
        }
        try {
            return JSON.readValue(Files.readString(file), type);
        } catch (IOException | JacksonException e) {
            throw new CliException(CliException.USAGE, "cannot read " + file + ": " + e.getMessage()
                    + " (run tailor login again)");
        }
    }

    /** Written whole to a private temporary file and renamed, so a crash never leaves half a config. */
    private void write(Path file, Object value) {
        try {
            createPrivateDirectory(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, JSON.writeValueAsString(value));
            replace(tmp, file);
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Puts {@code from} in {@code to}'s place by a rename, so {@code to} is never seen half-written. */
    static void replace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // another tailor made it meanwhile
        }
    }
}
