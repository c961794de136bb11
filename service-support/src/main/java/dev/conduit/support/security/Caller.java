package dev.conduit.support.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who calls, as the verified token proves it: user id (subject), username at signing time and the
 * raw token. Other services trust these without asking user-service (read-your-own-writes).
 */
public record Caller(String id, String username, String token) {

    public static final String USERNAME_CLAIM = "username";

    public static Caller of(JsonWebToken jwt) {
        return new Caller(jwt.getSubject(), jwt.getClaim(USERNAME_CLAIM), jwt.getRawToken());
    }
}
