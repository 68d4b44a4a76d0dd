/*
 * The TLS 1.3 handshake kernel: the cryptography a server performs for one full handshake of
 * TLS_AES_128_GCM_SHA256 with an X25519 key share and an Ed25519 certificate key, then the first 16 KiB
 * application record. Every primitive here has its own tuned path (SHA-NI/Armv8 SHA-256, mulx/adcx/adox field
 * arithmetic, AES-NI/PCLMULQDQ or Armv8 AES/PMULL), so this measures how they add up in a real protocol step.
 *
 * The handshake messages are fixed synthetic bytes of realistic sizes, except that the ServerHello carries the
 * server's real key share and the CertificateVerify and Finished messages carry the real signature and MAC.
 */
#include <stdio.h>
#include <string.h>

#include "ed25519.h"
#include "f25519.h"
#include "gcm.h"
#include "payoff.h"
#include "sha256.h"
#include "x25519.h"

#define RECORD_DATA 16384                     /* the largest TLSPlaintext fragment (RFC 8446 5.1) */
#define RECORD_INNER (RECORD_DATA + 1)        /* TLSInnerPlaintext: content, then the content type */
#define RECORD_CIPHER (RECORD_INNER + 16)     /* plus the AES-GCM tag */

/* The key schedule's outputs for one direction's traffic secret (RFC 8446 7.3). */
typedef struct {
    uint8_t secret[32], key[16], iv[12];
} traffic;

typedef struct {
    uint8_t early[32], handshake[32], master[32];
    traffic client_hs, server_hs, client_ap, server_ap;
} key_schedule;

/* Inputs fixed for the whole run: the server's long-term key and this handshake's client-side values. */
static ed25519_key cert_key;
static uint8_t server_private[32], client_share[32], empty_hash[32];
static uint8_t client_hello[512], server_hello[90], encrypted_extensions[40], certificate[320];
static uint8_t record[RECORD_INNER], sealed[RECORD_CIPHER];

/* What one handshake produces, kept for the known-answer checks. */
static struct {
    uint8_t server_share[32], shared[32], cert_hash[32], signature[64], verify_data[32];
    key_schedule ks;
} out;

static void traffic_keys(traffic *t, const uint8_t secret[32], const char *label, const uint8_t transcript[32]) {
    tls13_derive_secret(secret, label, transcript, t->secret);
    tls13_hkdf_expand_label(t->secret, "key", NULL, 0, t->key, sizeof t->key);
    tls13_hkdf_expand_label(t->secret, "iv", NULL, 0, t->iv, sizeof t->iv);
}

/* RFC 8446 7.1, up to the handshake traffic secrets: needs the (EC)DHE secret and Transcript-Hash(CH..SH). */
static void schedule_handshake(key_schedule *ks, const uint8_t shared[32], const uint8_t hello_hash[32]) {
    static const uint8_t zeros[32];
    uint8_t derived[32];
    hkdf_sha256_extract(zeros, sizeof zeros, zeros, sizeof zeros, ks->early); /* no PSK: IKM is 32 zeros */
    tls13_derive_secret(ks->early, "derived", empty_hash, derived);
    hkdf_sha256_extract(derived, sizeof derived, shared, 32, ks->handshake);
    traffic_keys(&ks->client_hs, ks->handshake, "c hs traffic", hello_hash);
    traffic_keys(&ks->server_hs, ks->handshake, "s hs traffic", hello_hash);
}

/* RFC 8446 7.1, the rest: master secret and application traffic secrets from Transcript-Hash(CH..server Finished). */
static void schedule_application(key_schedule *ks, const uint8_t finished_hash[32]) {
    static const uint8_t zeros[32];
    uint8_t derived[32];
    tls13_derive_secret(ks->handshake, "derived", empty_hash, derived);
    hkdf_sha256_extract(derived, sizeof derived, zeros, sizeof zeros, ks->master);
    traffic_keys(&ks->client_ap, ks->master, "c ap traffic", finished_hash);
    traffic_keys(&ks->server_ap, ks->master, "s ap traffic", finished_hash);
}

static void transcript_hash(const sha256_ctx *running, uint8_t hash[32]) {
    sha256_ctx c = *running; /* the transcript continues after each snapshot */
    sha256_final(&c, hash);
}

/* RFC 8446 4.4.3: 64 spaces, the context string, a zero byte, then Transcript-Hash(CH..Certificate). */
static const char cv_context[] = "TLS 1.3, server CertificateVerify";
#define CV_CONTENT_SIZE (64 + sizeof cv_context + 32) /* sizeof counts the terminating zero: the separator */

static void certificate_verify_content(uint8_t content[CV_CONTENT_SIZE], const uint8_t cert_hash[32]) {
    memset(content, 0x20, 64);
    memcpy(content + 64, cv_context, sizeof cv_context);
    memcpy(content + 64 + sizeof cv_context, cert_hash, 32);
}

/* RFC 8446 5.3 and 5.2: nonce = iv XOR the 64-bit sequence number; the AAD is the record header. */
static void seal_record(const traffic *t, uint64_t seq, const uint8_t *inner, size_t len, uint8_t *dst) {
    aes_gcm_ctx gcm;
    uint8_t nonce[12], header[5] = {0x17, 0x03, 0x03, (uint8_t)((len + 16) >> 8), (uint8_t)(len + 16)};
    memcpy(nonce, t->iv, sizeof nonce);
    for (int i = 0; i < 8; i++) {
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
    }
    aes_gcm_init(&gcm, t->key, sizeof t->key);
    aes_gcm_seal(&gcm, nonce, header, sizeof header, inner, len, dst, dst + len);
}

/*
 * One server handshake: (1) key share and ECDHE, (2) key schedule over the running transcript, with the server
 * Finished, (3) the CertificateVerify signature, (4) the first application record.
 */
static void handshake(void) {
    sha256_ctx transcript;
    uint8_t hello_hash[32], cv_hash[32], finished_hash[32], finished_key[32], content[CV_CONTENT_SIZE];
    uint8_t cert_verify[8 + 64] = {0x0f, 0x00, 0x00, 0x44, 0x08, 0x07, 0x00, 0x40}; /* ed25519 (0x0807) */
    uint8_t finished[4 + 32] = {0x14, 0x00, 0x00, 0x20};

    /* 1: the server's ephemeral share and the shared secret */
    x25519_base(out.server_share, server_private);
    x25519(out.shared, server_private, client_share);
    memcpy(server_hello + sizeof server_hello - 32, out.server_share, 32);

    /* 2: handshake secrets */
    sha256_init(&transcript);
    sha256_update(&transcript, client_hello, sizeof client_hello);
    sha256_update(&transcript, server_hello, sizeof server_hello);
    transcript_hash(&transcript, hello_hash);
    schedule_handshake(&out.ks, out.shared, hello_hash);

    /* 3: CertificateVerify */
    sha256_update(&transcript, encrypted_extensions, sizeof encrypted_extensions);
    sha256_update(&transcript, certificate, sizeof certificate);
    transcript_hash(&transcript, out.cert_hash);
    certificate_verify_content(content, out.cert_hash);
    ed25519_sign(out.signature, &cert_key, content, sizeof content);
    memcpy(cert_verify + 8, out.signature, 64);
    sha256_update(&transcript, cert_verify, sizeof cert_verify);

    /* 2 continued: the server Finished (RFC 8446 4.4.4) and the application secrets */
    transcript_hash(&transcript, cv_hash);
    tls13_hkdf_expand_label(out.ks.server_hs.secret, "finished", NULL, 0, finished_key, sizeof finished_key);
    hmac_sha256(finished_key, sizeof finished_key, cv_hash, sizeof cv_hash, out.verify_data);
    memcpy(finished + 4, out.verify_data, 32);
    sha256_update(&transcript, finished, sizeof finished);
    transcript_hash(&transcript, finished_hash);
    schedule_application(&out.ks, finished_hash);

    /* 4: the first application record, sequence number 0 */
    seal_record(&out.ks.server_ap, 0, record, sizeof record, sealed);
}

static void handshake_op(void *ctx) {
    (void)ctx;
    handshake();
    payoff_sink(sealed + RECORD_INNER, 16);
}

/*
 * RFC 8448 section 3 (Simple 1-RTT Handshake): the key schedule from the trace's ECDHE secret and transcript hashes,
 * and the server's X25519 share and shared secret from its private key and the client's share.
 */
static void kat_rfc8448(void) {
    uint8_t shared[32], hello_hash[32], finished_hash[32], share[32];
    key_schedule ks;
    payoff_hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d", shared, sizeof shared);
    payoff_hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8", hello_hash, sizeof hello_hash);
    payoff_hex("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13", finished_hash,
               sizeof finished_hash);
    schedule_handshake(&ks, shared, hello_hash);
    payoff_expect("tls13 rfc8448-3 early secret", ks.early,
                  "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a", 32);
    payoff_expect("tls13 rfc8448-3 handshake secret", ks.handshake,
                  "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac", 32);
    payoff_expect("tls13 rfc8448-3 client handshake traffic secret", ks.client_hs.secret,
                  "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21", 32);
    payoff_expect("tls13 rfc8448-3 server handshake traffic secret", ks.server_hs.secret,
                  "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", 32);
    payoff_expect("tls13 rfc8448-3 server handshake key", ks.server_hs.key, "3fce516009c21727d0f2e4e86ee403bc", 16);
    payoff_expect("tls13 rfc8448-3 server handshake iv", ks.server_hs.iv, "5d313eb2671276ee13000b30", 12);
    payoff_expect("tls13 rfc8448-3 client handshake key", ks.client_hs.key, "dbfaa693d1762c5b666af5d950258d01", 16);
    payoff_expect("tls13 rfc8448-3 client handshake iv", ks.client_hs.iv, "5bd3c71b836e0b76bb73265f", 12);
    schedule_application(&ks, finished_hash);
    payoff_expect("tls13 rfc8448-3 master secret", ks.master,
                  "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919", 32);
    payoff_expect("tls13 rfc8448-3 client application traffic secret", ks.client_ap.secret,
                  "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5", 32);
    payoff_expect("tls13 rfc8448-3 server application traffic secret", ks.server_ap.secret,
                  "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643", 32);
    payoff_expect("tls13 rfc8448-3 server application key", ks.server_ap.key, "9f02283b6c9c07efc26bb9f2ac92e356", 16);
    payoff_expect("tls13 rfc8448-3 server application iv", ks.server_ap.iv, "cf782b88dd83549aadf1e984", 12);

    x25519_base(share, server_private);
    payoff_expect("tls13 rfc8448-3 server x25519 share", share,
                  "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f", 32);
    x25519(shared, server_private, client_share);
    payoff_expect("tls13 rfc8448-3 x25519 shared secret", shared,
                  "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d", 32);
}

/*
 * The measured handshake end to end. Expected values from a Python model of the same steps on `cryptography`
 * (OpenSSL): X25519, HKDF over hmac/hashlib, Ed25519 with seed 00 01 .. 1f, AESGCM.
 */
static void kat_handshake(void) {
    handshake();
    payoff_expect("tls13 handshake signature", out.signature,
                  "41f12699cd138d452d06e6dd000744fbc4c10793b337242b57f7ce1b964b7a1d"
                  "5645ac1746422cba0a31f70ef91d03cbf4bbb50eb1d06928f746992ff2e49701",
                  64);
    uint8_t content[CV_CONTENT_SIZE];
    certificate_verify_content(content, out.cert_hash);
    payoff_check("tls13 handshake signature verifies",
                 ed25519_verify(out.signature, cert_key.public_key, content, sizeof content));
    payoff_expect("tls13 handshake server finished", out.verify_data,
                  "dfca170749e1141ebbf2b2a2579b3b85559c05643eef22b8a2546ba4020a0597", 32);
    payoff_expect("tls13 handshake server application secret", out.ks.server_ap.secret,
                  "c6c2db58e133e99a6193d6c5317e353e112cf7420628bacb3b1d7ed35f18d15c", 32);
    payoff_expect("tls13 handshake server application key", out.ks.server_ap.key,
                  "72acf39d7337589f7d37a6372d665cc5", 16);
    payoff_expect("tls13 handshake server application iv", out.ks.server_ap.iv, "04df46b9550134fc8678a6bd", 12);
    uint8_t digest[32];
    sha256(sealed, RECORD_INNER, digest);
    payoff_expect("tls13 handshake record ciphertext sha256", digest,
                  "9ba64470ef5e167f2812f01b1157fb71b3ca6752f0b373531ca3a4e3a3e61000", 32);
    payoff_expect("tls13 handshake record tag", sealed + RECORD_INNER, "5df1af5079dcf7ed13b71cfa5342fb42", 16);
}

static void fill(uint8_t *p, size_t n, unsigned k) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 31 + k * 7 + 1);
    }
}

int main(void) {
    payoff_features();
    printf("tls13-handshake: sha256=%s field=%s aes=%s ghash=%s\n", sha256_impl, f25519_impl, aes_impl(),
           ghash_impl());
    /* RFC 8448 section 3's server ephemeral key and the client's key share */
    payoff_hex("b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e", server_private,
               sizeof server_private);
    payoff_hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c", client_share,
               sizeof client_share);
    uint8_t seed[32];
    for (int i = 0; i < 32; i++) {
        seed[i] = (uint8_t)i;
    }
    ed25519_key_from_seed(&cert_key, seed); /* the certificate key is long-lived: expanded once */
    sha256("", 0, empty_hash);
    fill(client_hello, sizeof client_hello, 1);
    fill(server_hello, sizeof server_hello, 2);
    fill(encrypted_extensions, sizeof encrypted_extensions, 3);
    fill(certificate, sizeof certificate, 4);
    for (size_t i = 0; i < RECORD_DATA; i++) {
        record[i] = (uint8_t)(7 * i + 3);
    }
    record[RECORD_DATA] = 0x17; /* ContentType application_data */

    kat_rfc8448();
    kat_handshake();

    payoff_measure("tls13-handshake", 0, handshake_op, NULL);
    return payoff_done();
}
