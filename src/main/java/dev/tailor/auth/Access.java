package dev.tailor.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tailor.limits.TokenRates;
import dev.tailor.web.ClientAddress;
import dev.tailor.problem.Problem;
import dev.tailor.store.DataDir;
import dev.tailor.store.Digest;
import dev.tailor.problem.TailorException;

/**
 * Checks bearer tokens on write endpoints. Tokens are looked up by their sha256, so the process never holds a
 * configured token's value; device-facing reads never call this.
 */
@Component
public class Access {

    private static final Logger log = LoggerFactory.getLogger(Access.class);
    static final String ADMIN_TOKEN_FILE = "admin-token";

    private final Map<String, Caller> byHash = new HashMap<>();
    private final TokenRates rates;
    /** Requests already counted against their token's rate: a controller may authenticate one request twice. */
    private final Cache<String, Boolean> counted = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5))
            .maximumSize(100_000).build();

    private final ApplicationEventPublisher events;
    private final ClientAddress clients;

    public Access(AuthProperties props, DataDir dataDir, TokenRates rates, ApplicationEventPublisher events,
                  ClientAddress clients) {
        this.rates = rates;
        this.clients = clients;
        this.events = events;
        for (AuthProperties.Token t : props.tokens()) {
            if (t.sha256() == null || Digest.ofHex(t.sha256().toLowerCase(Locale.ROOT)).isEmpty()) {
                throw new IllegalArgumentException("tailor.auth.tokens: token '" + t.name()
                        + "' needs sha256: the 64-hex-digit sha256 of the token");
            }
            byHash.put(t.sha256().toLowerCase(Locale.ROOT), new Caller(t.name(), t.roles(), t.apps()));
        }
        if (props.bootstrapAdmin()) {
            Path file = dataDir.path().resolve(ADMIN_TOKEN_FILE);
            byHash.put(hash(adminToken(file)), new Caller("admin", Set.of(Role.ADMIN), Set.of("*")));
            log.info("Admin token: {} (send it as 'Authorization: Bearer <token>')", file);
        }
    }

    /** The caller, if the request carries a valid token with the role for the app; otherwise a 401 or 403. */
    public Caller require(ServerHttpRequest request, Role role, String app) {
        Caller caller = authenticate(request, app);
        if (!caller.hasRole(role)) {
            throw refused(request, app, caller, Problem.AUTH_FORBIDDEN_ROLE.because("This token lacks the '"
                    + role.name().toLowerCase(Locale.ROOT) + "' role"));
        }
        if (app != null && !caller.mayTouch(app)) {
            throw refused(request, app, caller, Problem.AUTH_FORBIDDEN_APP.because("This token may not act on the app '"
                    + app + "'"));
        }
        return caller;
    }

    /**
     * A caller with the build role for the app, starting a build, a retry or a payoff run: counted against the
     * token's {@code tailor.limits.builds-per-minute}.
     */
    public Caller startBuild(ServerHttpRequest request, String app) {
        Caller caller = require(request, Role.BUILD, app);
        rates.buildStarted(caller.name());
        return caller;
    }

    /** Any valid token that may act on the app (null: any app), whatever its roles: for management reads. */
    public Caller requireApp(ServerHttpRequest request, String app) {
        Caller caller = authenticate(request, app);
        if (app != null && !caller.mayTouch(app)) {
            throw refused(request, app, caller, Problem.AUTH_FORBIDDEN_APP.because("This token may not act on the app '"
                    + app + "'"));
        }
        return caller;
    }

    public Caller authenticate(ServerHttpRequest request) {
        return authenticate(request, null);
    }

    private Caller authenticate(ServerHttpRequest request, String app) {
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw Problem.AUTH_MISSING_TOKEN.because("This endpoint needs 'Authorization: Bearer <token>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
            throw refused(request, app, null, Problem.AUTH_INVALID_TOKEN.because(
                    "The Authorization header must be 'Bearer <token>'"));
        }
        Caller caller = byHash.get(hash(header.substring(7).trim()));
        if (caller == null) {
            throw refused(request, app, null, Problem.AUTH_INVALID_TOKEN.because("The token is not valid"));
        }
        if (counted.asMap().putIfAbsent(request.getId(), Boolean.TRUE) == null) {
            rates.call(caller.name());
        }
        return caller;
    }

    /** A token presented and refused is an audited event; a request without any token is not. */
    private TailorException refused(ServerHttpRequest request, String app, Caller caller, TailorException e) {
        events.publishEvent(new TokenRefused(app, caller == null ? null : caller.name(), e.code(),
                request.getMethod().name(), request.getPath().value(), clients.of(request).orElse(null)));
        return e;
    }


    static String hash(String token) {
        return HexFormat.of().formatHex(Digest.sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static String adminToken(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = "tlr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path tmp = file.resolveSibling(ADMIN_TOKEN_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process on the same data directory created it first: use theirs
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } finally {
                Files.deleteIfExists(tmp);
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the admin token at " + file, e);
        }
    }
}
