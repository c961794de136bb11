package dev.conduit.localstack.testing;

import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.build.Jwt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;

/**
 * Tokens as user-service signs them (RS256 with the run's signing key and its {@code kid}, issuer
 * {@code conduit}, subject = user id, {@code username} claim), for services that only verify tokens.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** The claims of a compact token, decoded and not verified: what a test expects a token to say. */
    public static JsonPath claims(String token) {
        return JsonPath.from(decodedPart(token, 1));
    }

    /** The JOSE header of a compact token ({@code kid}, {@code alg}), decoded. */
    public static JsonPath joseHeader(String token) {
        return JsonPath.from(decodedPart(token, 0));
    }

    private static String decodedPart(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }

    /** {@code "Token <jwt>"}, ready for the Authorization header. */
    public static String header(String userId, String username) {
        return "Token " + sign(userId, username);
    }

    public static String sign(String userId, String username) {
        return sign(userId, username, Instant.now());
    }

    /** A token issued at {@code issuedAt} (whole seconds), valid for an hour from then. */
    public static String sign(String userId, String username, Instant issuedAt) {
        Path keys = TestServers.jwtKeys().dir();
        return sign(userId, username, issuedAt, TestKeys.signingKid(keys), TestKeys.signingKey(keys));
    }

    /** A token signed with a key a test added to the key set. */
    public static String sign(String userId, String username, TestKeys.Extra key) {
        return sign(userId, username, Instant.now(), key.kid(), key.privateKey());
    }

    private static String sign(String userId, String username, Instant issuedAt, String kid, PrivateKey key) {
        long iat = issuedAt.getEpochSecond();
        return Jwt.issuer("conduit").subject(userId).upn(username).claim("username", username)
                .issuedAt(iat).expiresAt(iat + 3600)
                .jws().keyId(kid).sign(key);
    }
}
