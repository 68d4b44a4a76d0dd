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
