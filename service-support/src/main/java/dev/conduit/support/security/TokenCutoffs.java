package dev.conduit.support.security;

import io.smallrye.mutiny.Uni;

import java.time.Instant;

/**
 * Since when a user's tokens are valid. A password change sets the user's cut-off: user-service
 * keeps it on the account, the other services in their user read model (from
 * {@code UserCredentialsChanged}). Each service provides the one implementation that reads its own
 * data; {@link RevokedTokens} asks it on every authenticated request.
 */
public interface TokenCutoffs {

    /**
     * The first second in which a token of {@code userId} may have been issued (compared with its
     * {@code iat}); null when the user has no cut-off or is not known here.
     */
    Uni<Instant> validAfter(String userId);
}
