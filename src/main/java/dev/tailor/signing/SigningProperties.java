package dev.tailor.signing;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param privateKeyPem a PKCS#8 Ed25519 private key ({@code -----BEGIN PRIVATE KEY-----}, as made by
 *                      {@code openssl genpkey -algorithm ed25519}); when set, nothing is read from or written to disk
 * @param keyFile       where the key is kept otherwise; default {@code <data dir>/signing/ed25519.pem}, created with
 *                      mode 0600 on first start
 */
@ConfigurationProperties("tailor.signing")
public record SigningProperties(String privateKeyPem, Path keyFile) {
}
