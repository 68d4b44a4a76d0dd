/**
 * The catalogue of problems Tailor reports, and the exception that carries one: plain Java, below every feature
 * package. Domain code throws {@link dev.tailor.problem.TailorException}; the web layer turns it into an RFC 9457
 * problem document. Nothing here knows HTTP beyond the status number each problem is answered with.
 */
package dev.tailor.problem;
