package dev.conduit.gateway.security;

import dev.conduit.tokens.VerifiedTokens;
import dev.conduit.gateway.http.ErrorResponses;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the caller's token at the edge: the key named by its {@code kid} in user-service's JWK set
 * ({@link VerificationKeys}), then smallrye-jwt's parser with the {@code mp.jwt.verify.*} settings:
 * RS256 signature (so {@code alg: none} and other algorithms are refused), issuer, expiry. The gateway
 * never changes the header; the services verify the same token again, and they alone refuse a token
 * revoked by a password change (see README, "Edge authentication").
 *
 * <p>A client sends the same token on every request for its lifetime, and the RSA verification was
 * most of the gateway's CPU (issue 12), so a token that passed is kept ({@link VerifiedTokens}, by the
 * exact token string) and not verified again: its time claims are still checked on every request as
 * the parser checks them, it is verified again after {@code conduit.security.token-cache.max-age},
 * and every kept token is forgotten when user-service's key set changes. A refused token is never kept.
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
    private static final Result REJECTED = new Rejected(ErrorResponses.UNAUTHORIZED);

    private final JWTParser parser;
    private final VerificationKeys keys;
    private final VerifiedTokens<Authenticated> verified;

    public EdgeAuthenticator(JWTParser parser, VerificationKeys keys, TokenCacheConfig cache, JWTAuthContextInfo context) {
        this.parser = parser;
        this.keys = keys;
        // the skew jose4j is given: the expiry grace when there is one, the clock skew otherwise
        int skew = context.getExpGracePeriodSecs() > 0 ? context.getExpGracePeriodSecs() : Math.max(0, context.getClockSkew());
        this.verified = new VerifiedTokens<>(cache.maximumSize(), cache.maxAge(), new VerifiedTokens.Rules(skew, context.getTokenAge()));
        keys.onChange(verified::clear);
    }

    /**
     * Verification is CPU work on key material held in memory, so it runs on the event loop, as
     * Quarkus' own JWT mechanism does by default. The result is there at once, except for a token
     * whose key the gateway does not hold yet: then it comes when user-service's key set has been
     * fetched again.
     */
    public Future<Result> authenticate(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Future.succeededFuture(new Anonymous());
        }
        Optional<String> token = token(authorizationHeader);
        if (token.isEmpty()) {
            return Future.succeededFuture(REJECTED);
        }
        Authenticated known = verified.get(token.get());
        if (known != null) {
            // the key set is refreshed on its schedule as on a miss; a change empties the cache
            keys.refreshIfStale();
            return Future.succeededFuture(known);
        }
        // read before the key is looked up: a key set that changes meanwhile keeps this token out of the cache
        long generation = verified.generation();
        Optional<String> kid;
        try {
            kid = keyId(token.get());
        } catch (IllegalArgumentException | DecodeException | ClassCastException notAJws) {
            return Future.succeededFuture(REJECTED);
        }
        return keys.key(kid.orElse(null))
                .map(key -> key == null ? REJECTED : verify(token.get(), key, generation))
                .otherwise(REJECTED);
    }

    private Result verify(String token, PublicKey key, long generation) {
        try {
            JsonWebToken jwt = parser.verify(token, key);
            String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
            if (subject == null) {
                return REJECTED;
            }
            Authenticated authenticated = new Authenticated(subject);
            verified.put(token, authenticated, new VerifiedTokens.Times(jwt.getExpirationTime(),
                    seconds(jwt.getClaim(Claims.nbf.name())), seconds(jwt.getClaim(Claims.iat.name()))), generation);
            return authenticated;
        } catch (ParseException e) {
            return REJECTED;
        }
    }

    private static Long seconds(Object claim) {
        if (claim instanceof Number number) {
            return number.longValue();
        }
        if (claim instanceof JsonNumber number) {
            return number.longValue();
        }
        return null;
    }

    /** The {@code kid} of a compact JWS's header; empty when it has none. */
    private static Optional<String> keyId(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("not a compact JWS");
        }
        JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
        return Optional.ofNullable(header.getString("kid"));
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
