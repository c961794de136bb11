package dev.conduit.support.security;

import dev.conduit.support.error.ApiException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;

/**
 * The caller of the current request. Authentication is lazy (proactive auth is off), so a bad
 * token fails here, as a 401 in the error envelope, and only on endpoints that look at the caller.
 */
@ApplicationScoped
public class Callers {

    /** The one answer to every token problem: which problem it was helps only an attacker. */
    public static final String INVALID_TOKEN = "token is missing, invalid or expired";

    private final CurrentIdentityAssociation identities;

    public Callers(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /** The caller, or empty for an anonymous request; an invalid token is a 401. */
    public Uni<Optional<Caller>> optional() {
        return identities.getDeferredIdentity().map(Callers::toCaller);
    }

    /** The caller; an anonymous request or an invalid token is a 401. */
    public Uni<Caller> required() {
        return optional().map(caller -> caller.orElseThrow(
                () -> ApiException.unauthorized(INVALID_TOKEN)));
    }

    /** The caller a verified identity names; empty for an anonymous one. */
    public static Optional<Caller> toCaller(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || jwt.getSubject() == null) {
            return Optional.empty();
        }
        return Optional.of(Caller.of(jwt));
    }
}
