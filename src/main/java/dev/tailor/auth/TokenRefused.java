package dev.tailor.auth;

/**
 * Published when a presented token is refused: unknown or malformed (401), or lacking the role or the app (403).
 *
 * @param app    the app the request was about, or null
 * @param caller the token's name when it was known, else null
 * @param code   the problem code the request was answered with
 */
public record TokenRefused(String app, String caller, String code, String method, String path, String address) {
}
