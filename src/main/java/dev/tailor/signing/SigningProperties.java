package dev.tailor.signing;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * @param privateKeyPem       a PKCS#8 Ed25519 private key ({@code -----BEGIN PRIVATE KEY-----}, as made by
 *                            {@code openssl genpkey -algorithm ed25519}); when set, nothing is read from or written
 *                            to disk
 * @param keyFile             where the key is kept otherwise; default {@code <data dir>/signing/ed25519.pem}, created
 *                            with mode 0600 on first start
 * @param publishedPublicKeys more Ed25519 public keys ({@code -----BEGIN PUBLIC KEY-----}, as made by
 *                            {@code openssl pkey -pubout}) that {@code GET /v1/keys} lists after the signing key, for
 *                            a rotation: the next key before images are signed with it, the previous one after, while
 *                            devices still hold images it signed
 */
@ConfigurationProperties("tailor.signing")
public record SigningProperties(String privateKeyPem, Path keyFile, List<String> publishedPublicKeys) {

    @ConstructorBinding
    public SigningProperties {
        publishedPublicKeys = publishedPublicKeys == null ? List.of() : List.copyOf(publishedPublicKeys);
    }

    public SigningProperties(String privateKeyPem, Path keyFile) {
        this(privateKeyPem, keyFile, List.of());
    }
}
