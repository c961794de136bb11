package dev.conduit.support.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a token issued before its user's cut-off ({@link TokenCutoffs}), so a password change
 * revokes the older tokens: the same 401 as any invalid token. Runs after the signature, issuer and
 * expiry were checked, for every request that authenticates, whether the endpoint needs a caller
 * ({@code @Authenticated}) or only looks at one ({@link Callers#optional()}).
 */
@ApplicationScoped
public class RevokedTokens implements SecurityIdentityAugmentor {

    private final TokenCutoffs cutoffs;

    public RevokedTokens(TokenCutoffs cutoffs) {
        this.cutoffs = cutoffs;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getSubject() == null) {
            return Uni.createFrom().item(identity);
        }
        // iat is whole seconds, and so is a cut-off
        long issuedAt = jwt.getIssuedAtTime();
        return cutoffs.validAfter(jwt.getSubject()).map(validAfter -> {
            if (validAfter != null && issuedAt < validAfter.getEpochSecond()) {
                throw new AuthenticationFailedException("token issued before the user's cut-off");
            }
            return identity;
        });
    }
}
