/**
 * The worker: runs one build from a job. Fetches the canonical bundle, unpacks it into a private directory,
 * compiles it with the toolchain driver inside a bubblewrap sandbox (the bundle at {@code /src}, the output at
 * {@code /out}, the runtime read-only, {@code /usr} read-only and nothing else of the host; no network; limits on
 * CPU, memory, file size and processes; a wall-clock timeout), then signs and stores the image.
 */
package dev.tailor.worker;
