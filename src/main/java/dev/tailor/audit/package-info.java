/**
 * The audit trail: every management action (upload, release, retry, payoff run, garbage collection, a refused
 * token) as one structured log line on the {@code tailor.audit} logger and, for actions on an app, an append-only
 * record in the store ({@code audit/<app>/}, one object per action, never rewritten), read at
 * {@code GET /v1/apps/{app}/audit}.
 */
package dev.tailor.audit;
