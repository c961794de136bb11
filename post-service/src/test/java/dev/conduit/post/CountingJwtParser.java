package dev.conduit.post;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tests only: counts, per token, the verifications that reach the parser, i.e. those the
 * verified-token cache (service-support's CachingJwtParser, priority 10, called before this one)
 * did not answer.
 */
@Decorator
@Priority(20)
public abstract class CountingJwtParser implements JWTParser {

    private static final Map<String, AtomicInteger> PARSES = new ConcurrentHashMap<>();

    @Inject
    @Delegate
    JWTParser parser;

    static int parses(String token) {
        AtomicInteger count = PARSES.get(token);
        return count == null ? 0 : count.get();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        PARSES.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        return parser.parse(token);
    }
}
