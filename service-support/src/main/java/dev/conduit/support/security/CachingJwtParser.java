package dev.conduit.support.security;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Quarkus' JWT mechanism (MpJwtValidator) verifies every request's token with {@link JWTParser#parse(String)}:
 * this decorator of whichever parser bean is in use (smallrye-jwt's DefaultJWTParser, user-service's
 * OwnKeysJwtParser) answers a token already verified from {@link VerifiedTokenCache} and hands any
 * other to the parser, keeping what a successful parse returns. A token the parser refuses is never
 * kept. A decorator rather than a replacing parser: the services keep the parser Quarkus configures,
 * and the mechanism, the error envelope and the per-request checks after it (RevokedTokens) stay as
 * they are. The other methods (a given key or context, decryption) go to the parser unchanged.
 */
@Decorator
@Priority(10)
public abstract class CachingJwtParser implements JWTParser {

    @Inject
    @Delegate
    JWTParser parser;

    @Inject
    VerifiedTokenCache verified;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken cached = verified.get(token);
        if (cached != null) {
            return cached;
        }
        long generation = verified.generation();
        JsonWebToken jwt = parser.parse(token);
        verified.put(token, jwt, generation);
        return jwt;
    }
}
