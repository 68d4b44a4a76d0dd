package dev.tailor.builds;

/** Published when a token asks for a build again ({@code POST /v1/builds/{id}/retry}). */
public record BuildRetried(String app, String by, String build, String target, String flavor) {
}
