package dev.conduit.readmodel.authors;

import dev.conduit.support.security.TokenCutoffs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * A consuming service's token cut-offs: what {@code UserCredentialsChanged} put in its authors read
 * model. A password change reaches it with the event (a fraction of a second while the consumer
 * keeps up); a user the read model does not know yet has no cut-off.
 */
@ApplicationScoped
public class AuthorTokenCutoffs implements TokenCutoffs {

    private final AuthorRepository authors;

    public AuthorTokenCutoffs(AuthorRepository authors) {
        this.authors = authors;
    }

    @Override
    public Uni<Instant> validAfter(String userId) {
        return authors.tokensValidAfter(userId);
    }
}
