/** Bearer tokens with roles and app scopes for the write endpoints; device-facing reads stay public. */
package dev.tailor.auth;
