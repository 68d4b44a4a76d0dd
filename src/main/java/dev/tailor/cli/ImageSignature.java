package dev.tailor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;

/** Ed25519 keys as PEM, and which of them signed an image. */
final class ImageSignature {

    record Key(String id, java.security.PublicKey key) {
    }

    private ImageSignature() {
    }

    static List<Key> pinned(Settings settings) {
        List<Key> keys = settings.login().keys().stream().map(k -> new Key(k.id(), parse(k.publicKeyPem(), k.id())))
                .toList();
        if (keys.isEmpty()) {
            throw new CliException(CliException.USAGE, "no pinned key: tailor login pins the service's keys, or pass "
                    + "--key PEM");
        }
        return keys;
    }

    static Key read(Path pem) {
        try {
            return new Key(pem.toString(), parse(Files.readString(pem), pem.toString()));
        } catch (IOException e) {
            throw new CliException(CliException.USAGE, "cannot read the key " + pem + ": " + e.getMessage());
        }
    }

    static java.security.PublicKey parse(String pem, String name) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, name + " is not an Ed25519 public key in PEM");
        }
    }

    /** @return the id of the key that signed, or null */
    static String verifiedBy(List<Key> keys, byte[] message, byte[] signature) {
        for (Key k : keys) {
            try {
                java.security.Signature s = java.security.Signature.getInstance("Ed25519");
                s.initVerify(k.key());
                s.update(message);
                if (s.verify(signature)) {
                    return k.id();
                }
            } catch (GeneralSecurityException e) {
                // a malformed signature verifies with no key
            }
        }
        return null;
    }
}
