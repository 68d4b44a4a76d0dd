package dev.tailor.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tailor.store.Digest;

class SignerTest {

    @TempDir
    Path tmp;

    @Test
    void firstStart_generatesAKeyFileReadableOnlyByTheOwner_andLaterStartsReuseIt() throws Exception {
        Signer first = Signer.load(new SigningProperties(null, null), tmp);
        Path file = tmp.resolve("signing/ed25519.pem");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        Signer second = Signer.load(new SigningProperties(null, null), tmp);
        assertThat(second.keyId()).isEqualTo(first.keyId()).hasSize(16);
        assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
        byte[] message = "image bytes".getBytes(StandardCharsets.UTF_8);
        assertThat(second.verify(message, first.sign(message))).isTrue();
        assertThat(first.sign(message)).hasSize(64);
    }

    @Test
    void configuredKeyFromOpenssl_isUsed_itsPublicKeyMatchesOpenssls_andItsIdIsTheSha256OfThePublicKeyDer()
            throws Exception {
        Path key = tmp.resolve("k.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
        Path pub = tmp.resolve("pub.pem");
        run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());

        Signer signer = Signer.load(new SigningProperties(Files.readString(key), null), tmp);

        assertThat(signer.publicKeyPem().strip()).isEqualTo(Files.readString(pub).strip());
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(pub)
                .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""));
        assertThat(signer.keyId()).isEqualTo(HexFormat.of().formatHex(Digest.sha256().digest(der)).substring(0, 16));
        assertThat(tmp.resolve("signing")).doesNotExist();
        assertThat(signer.view().alg()).isEqualTo("ed25519");
    }

    @Test
    void aRotation_publishesTheOtherKeysAfterTheSigningKey_asTheyListThemselves() throws Exception {
        Path oldKey = tmp.resolve("old.pem");
        Path newKey = tmp.resolve("new.pem");
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", oldKey.toString());
        run("openssl", "genpkey", "-algorithm", "ed25519", "-out", newKey.toString());
        Path oldPub = tmp.resolve("old.pub");
        run("openssl", "pkey", "-in", oldKey.toString(), "-pubout", "-out", oldPub.toString());
        Signer before = Signer.load(new SigningProperties(Files.readString(oldKey), null), tmp);
        byte[] image = "image signed before the rotation".getBytes(StandardCharsets.UTF_8);
        byte[] oldSignature = before.sign(image);

        // after: images are signed with the new key; the old one stays listed (given twice, and unwrapped: once)
        Signer after = Signer.load(new SigningProperties(Files.readString(newKey), null,
                java.util.List.of(Files.readString(oldPub), Files.readString(oldPub).replace("\n", ""))), tmp);

        assertThat(after.views()).extracting(Signer.PublicKeyView::id).containsExactly(after.keyId(), before.keyId());
        assertThat(after.views().get(1)).isEqualTo(before.view());
        assertThat(after.keyId()).isNotEqualTo(before.keyId());
        assertThat(before.verify(image, oldSignature)).isTrue();
        assertThat(after.verify(image, oldSignature)).isFalse();
    }

    @Test
    void aPublishedKeyThatIsNotAnEd25519PublicKey_isRefusedAtStart_namingIt() {
        assertThatThrownBy(() -> Signer.load(new SigningProperties(null, null,
                java.util.List.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")), tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tailor.signing.published-public-keys[0]");
    }

    @Test
    void somethingThatIsNotAnEd25519Key_isRefusedAtStart() {
        assertThatThrownBy(() -> Signer.load(new SigningProperties("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", null), tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tailor.signing");
    }

    @Test
    void envelope_signsTheDssePreAuthenticationEncoding() {
        Signer signer = Signer.load(new SigningProperties(null, null), tmp);
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        String env = new String(signer.envelope("application/x-test", payload), StandardCharsets.UTF_8);

        assertThat(new String(Signer.pae("application/x-test", payload), StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 18 application/x-test 7 {\"a\":1}");
        String sig = env.replaceAll("(?s).*\"sig\" *: *\"([^\"]+)\".*", "$1");
        assertThat(signer.verify(Signer.pae("application/x-test", payload), Base64.getDecoder().decode(sig))).isTrue();
        assertThat(signer.verify(payload, Base64.getDecoder().decode(sig))).isFalse();
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
