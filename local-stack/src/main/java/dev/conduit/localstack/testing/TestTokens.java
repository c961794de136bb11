package dev.conduit.localstack.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;

/**
 * Tokens as user-service signs them (RS256 with the run's key, issuer {@code conduit}, subject =
 * user id, {@code username} claim), for services that only verify tokens.
 */
public final class TestTokens {

    private TestTokens() {
    }

    /** {@code "Token <jwt>"}, ready for the Authorization header. */
    public static String header(String userId, String username) {
        return "Token " + sign(userId, username);
    }

    public static String sign(String userId, String username) {
        return Jwt.issuer("conduit").subject(userId).upn(username).claim("username", username).expiresIn(3600)
                .sign(privateKey());
    }

    private static PrivateKey privateKey() {
        try {
            return KeyUtils.decodePrivateKey(Files.readString(TestServers.jwtKeys().privateKey()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
