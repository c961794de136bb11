package dev.conduit.gateway;

import dev.conduit.localstack.testing.TestKeys;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Tokens as user-service issues them (RS256, issuer {@code conduit}), and the broken ones an
 * attacker or a stale front end sends. Signed by hand so a test controls every byte.
 */
final class Tokens {

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    static String valid(String subject) {
        return signed(claims(subject, Instant.now().plusSeconds(3600)), testKey(), testKid());
    }

    /** Valid until {@code expiresAt} (and for the parser's clock skew after it). */
    static String expiringAt(String subject, Instant expiresAt) {
        return signed(claims(subject, expiresAt), testKey(), testKid());
    }

    static String expired(String subject) {
        return signed(claims(subject, Instant.now().minusSeconds(3600)), testKey(), testKid());
    }

    static String wrongIssuer(String subject) {
        return signed(claims(subject, Instant.now().plusSeconds(3600)).put("iss", "someone-else"), testKey(), testKid());
    }

    /** Well formed and in date, but signed by a key the gateway does not trust. */
    static String forged(String subject) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return signed(claims(subject, Instant.now().plusSeconds(3600)), generator.generateKeyPair().getPrivate(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}, no signature: the classic bypass. */
    static String unsigned(String subject) {
        String header = encode(new JsonObject().put("alg", "none").put("typ", "JWT"));
        return header + "." + encode(claims(subject, Instant.now().plusSeconds(3600))) + ".";
    }

    private static JsonObject claims(String subject, Instant expiresAt) {
        long now = Instant.now().getEpochSecond();
        return new JsonObject()
                .put("iss", "conduit")
                .put("sub", subject)
                .put("upn", subject)
                .put("iat", Math.min(now, expiresAt.getEpochSecond() - 60))
                .put("exp", expiresAt.getEpochSecond());
    }

    /** Signed with {@code key} under {@code kid} (null: no kid in the header). */
    static String signed(String subject, PrivateKey key, String kid) {
        return signed(claims(subject, Instant.now().plusSeconds(3600)), key, kid);
    }

    private static String signed(JsonObject claims, PrivateKey key, String kid) {
        JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        String input = encode(header) + "." + encode(claims);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kid of the run's signing key, as user-service names it. */
    static String testKid() {
        return TestKeys.signingKid(StubServices.keys.dir());
    }

    static PrivateKey testKey() {
        try {
            String pem = Files.readString(StubServices.keys.privateKey(), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test private key", e);
        }
    }

    private static String encode(JsonObject json) {
        return URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }
}
