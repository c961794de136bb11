package dev.conduit.support.security;

import dev.conduit.tokens.VerifiedTokens;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The service's verified tokens ({@link VerifiedTokens}), with the clock skew and token age that
 * smallrye-jwt's parser checks ({@code mp.jwt.verify.clock.skew}, or {@code smallrye.jwt.expiration.grace}
 * when set; {@code mp.jwt.verify.token.age}). {@link CachingJwtParser} reads and fills it.
 */
@ApplicationScoped
public class VerifiedTokenCache {

    private final VerifiedTokens<JsonWebToken> tokens;

    public VerifiedTokenCache(TokenCacheConfig config, JWTAuthContextInfo context) {
        // the skew jose4j is given: the expiry grace when there is one, the clock skew otherwise
        int skew = context.getExpGracePeriodSecs() > 0 ? context.getExpGracePeriodSecs() : Math.max(0, context.getClockSkew());
        this.tokens = new VerifiedTokens<>(config.maximumSize(), config.maxAge(), new VerifiedTokens.Rules(skew, context.getTokenAge()));
    }

    /** The principal verifying {@code token} produced, while its time claims still pass; null otherwise. */
    public JsonWebToken get(String token) {
        return tokens.get(token);
    }

    /** To be read before a token's key is looked up, and given to {@link #put}. */
    public long generation() {
        return tokens.generation();
    }

    /**
     * Keeps a principal the parser produced, i.e. one whose token passed every check;
     * {@code generation} as read before the parse (a {@link #clear()} meanwhile: not kept).
     */
    public void put(String token, JsonWebToken jwt, long generation) {
        tokens.put(token, jwt, new VerifiedTokens.Times(jwt.getExpirationTime(), seconds(jwt.getClaim(Claims.nbf.name())),
                seconds(jwt.getClaim(Claims.iat.name()))), generation);
    }

    /**
     * Forgets every verified token: for a service that knows when the keys that verify its tokens
     * change (user-service's SigningKeys). The others, whose keys come from smallrye-jwt's JWK set
     * cache, rely on the max age.
     */
    public void clear() {
        tokens.clear();
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
}
