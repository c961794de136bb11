package dev.conduit.gateway.security;

import dev.conduit.gateway.http.ErrorResponses;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks the caller's token at the edge with smallrye-jwt's parser, configured by the
 * {@code mp.jwt.verify.*} keys: RS256 signature with the public key only (so {@code alg: none} and
 * other algorithms are refused), issuer, expiry. The gateway never changes the header; the services
 * verify the same token again.
 */
@ApplicationScoped
public class EdgeAuthenticator {

    /** The outcome of looking at an {@code Authorization} header. */
    public sealed interface Result permits Anonymous, Authenticated, Rejected {
    }

    /** No {@code Authorization} header. */
    public record Anonymous() implements Result {
    }

    /** A valid token; {@code subject} keys the per-user rate limit. */
    public record Authenticated(String subject) implements Result {
    }

    /** A header that is not a valid token; {@code reason} is safe to show the client. */
    public record Rejected(String reason) implements Result {
    }

    private static final String[] SCHEMES = {"token ", "bearer "};

    private final JWTParser parser;

    public EdgeAuthenticator(JWTParser parser) {
        this.parser = parser;
    }

    /**
     * Verification is CPU work on cached key material, so it runs on the event loop, as Quarkus'
     * own JWT mechanism does by default.
     */
    public Result authenticate(String authorizationHeader) {
        if (authorizationHeader == null) {
            return new Anonymous();
        }
        Optional<String> token = token(authorizationHeader);
        if (token.isEmpty()) {
            return new Rejected(ErrorResponses.UNAUTHORIZED);
        }
        try {
            JsonWebToken jwt = parser.parse(token.get());
            String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
            if (subject == null) {
                return new Rejected(ErrorResponses.UNAUTHORIZED);
            }
            return new Authenticated(subject);
        } catch (ParseException e) {
            return new Rejected(ErrorResponses.UNAUTHORIZED);
        }
    }

    private static Optional<String> token(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        for (String scheme : SCHEMES) {
            if (lower.startsWith(scheme)) {
                String token = header.substring(scheme.length()).trim();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            }
        }
        return Optional.empty();
    }
}
