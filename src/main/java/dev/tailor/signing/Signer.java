package dev.tailor.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.tailor.store.Digest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs with one Ed25519 key (the JDK's provider). Signatures are pure Ed25519 over the raw bytes, which is what
 * {@code openssl pkeyutl -verify -rawin} checks. The key id is the first 16 hex digits of the sha256 of the public
 * key's DER (SubjectPublicKeyInfo) encoding.
 */
public final class Signer {

    private static final Logger log = LoggerFactory.getLogger(Signer.class);
    private static final String ALG = "Ed25519";
    /** The DSSE payload type of provenance envelopes. */
    public static final String PROVENANCE_TYPE = "application/vnd.tailor.provenance+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final String publicKeyPem;
    /** Public keys published besides this one (a rotation's next or previous key). */
    private final List<PublicKeyView> published;

    /** What {@code GET /v1/keys} lists. */
    public record PublicKeyView(String id, String alg, String publicKeyPem) {
    }

    /** A DSSE envelope (https://github.com/secure-systems-lab/dsse): the signature covers PAE(type, payload). */
    public record Envelope(String payloadType, String payload, List<EnvelopeSignature> signatures) {
    }

    public record EnvelopeSignature(String keyid, String sig) {
    }

    Signer(PrivateKey privateKey) {
        this(privateKey, List.of());
    }

    private Signer(PrivateKey privateKey, List<PublicKeyView> published) {
        this.published = published;
        this.privateKey = privateKey;
        this.publicKey = derivePublic(privateKey);
        byte[] der = publicKey.getEncoded();
        this.keyId = keyId(der);
        this.publicKeyPem = pem("PUBLIC KEY", der);
    }

    /**
     * The configured key, else the one in the key file, else a new one written there (0600); with the configured
     * public keys to publish beside it.
     */
    public static Signer load(SigningProperties props, Path dataDir) {
        List<PublicKeyView> published = new ArrayList<>();
        for (int i = 0; i < props.publishedPublicKeys().size(); i++) {
            published.add(parsePublic(props.publishedPublicKeys().get(i), "tailor.signing.published-public-keys[" + i + "]"));
        }
        if (props.privateKeyPem() != null && !props.privateKeyPem().isBlank()) {
            return new Signer(parsePrivate(props.privateKeyPem()), List.copyOf(published));
        }
        Path file = props.keyFile() != null ? props.keyFile() : dataDir.resolve("signing").resolve("ed25519.pem");
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            Signer signer = new Signer(parsePrivate(Files.readString(file, StandardCharsets.US_ASCII)),
                    List.copyOf(published));
            log.info("Signing images with Ed25519 key {} from {}", signer.keyId(), file);
            return signer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the signing key " + file, e);
        }
    }

    /** Written beside the target and linked in, so a concurrent first start on one data directory keeps one key. */
    private static void generate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALG).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static PrivateKey parsePrivate(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(ALG).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tailor.signing: not a PKCS#8 Ed25519 private key in PEM form", e);
        }
    }

    /** A public key to publish: its DER re-encoded, so the listing's PEM and id are canonical whatever the input. */
    static PublicKeyView parsePublic(String pem, String where) {
        String body = pem == null ? "" : pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = KeyFactory.getInstance(ALG).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)))
                    .getEncoded();
            return new PublicKeyView(keyId(der), "ed25519", pem("PUBLIC KEY", der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": not an Ed25519 public key in PEM form", e);
        }
    }

    private static String keyId(byte[] publicDer) {
        return HexFormat.of().formatHex(Digest.sha256().digest(publicDer)).substring(0, 16);
    }

    /**
     * The JDK cannot derive an Ed25519 public key from a private one directly, but its key pair generator derives
     * the public key from the 32 random bytes it draws: hand it the private key's bytes as its randomness.
     */
    private static PublicKey derivePublic(PrivateKey key) {
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the Ed25519 key has no extractable bytes"));
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALG);
            g.initialize(255, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            return g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public String publicKeyPem() {
        return publicKeyPem;
    }

    public PublicKeyView view() {
        return new PublicKeyView(keyId, "ed25519", publicKeyPem);
    }

    /** What {@code GET /v1/keys} lists: the signing key first, then the other published keys, each once. */
    public List<PublicKeyView> views() {
        List<PublicKeyView> all = new ArrayList<>(List.of(view()));
        published.stream().filter(k -> all.stream().noneMatch(a -> a.id().equals(k.id()))).forEach(all::add);
        return List.copyOf(all);
    }

    /** @return the 64-byte detached signature */
    public byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance(ALG);
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public boolean verify(byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALG);
            s.initVerify(publicKey);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The payload in a signed DSSE envelope, serialised as JSON. */
    public byte[] envelope(String payloadType, byte[] payload) {
        byte[] sig = sign(pae(payloadType, payload));
        Envelope e = new Envelope(payloadType, Base64.getEncoder().encodeToString(payload),
                List.of(new EnvelopeSignature(keyId, Base64.getEncoder().encodeToString(sig))));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e);
    }

    /** DSSE's pre-authentication encoding: what an envelope's signature covers. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
                .getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + payload.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return all;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
