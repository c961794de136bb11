package dev.conduit.gateway;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Tests only: counts, per token, the signature verifications EdgeAuthenticator asks the parser for. */
@Decorator
@Priority(20)
public abstract class CountingJwtParser implements JWTParser {

    private static final Map<String, AtomicInteger> VERIFICATIONS = new ConcurrentHashMap<>();

    @Inject
    @Delegate
    JWTParser parser;

    static int verifications(String token) {
        AtomicInteger count = VERIFICATIONS.get(token);
        return count == null ? 0 : count.get();
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        VERIFICATIONS.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        return parser.verify(token, key);
    }
}
