package dev.conduit.readmodel.authors;

import dev.conduit.support.security.TokenCutoffs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * A consuming service's token cut-offs: what {@code UserCredentialsChanged} put in its authors read
 * model. A password change reaches it with the event (a fraction of a second while the consumer
 * keeps up); a user the read model does not know yet has no cut-off.
 * <p>
 * Asked on every authenticated request, so answered from the {@link AuthorCache}: the instance's
 * reader of {@code conduit.users} evicts the user when the event arrives, before the consumer that
 * applies it has written it, and that consumer's instance evicts again after its write; a document
 * read before the write is not cached (its version is below the event's). A password change thus
 * takes effect here no later than in the read model, as without the cache.
 */
@ApplicationScoped
public class AuthorTokenCutoffs implements TokenCutoffs {

    private final AuthorCache cache;

    public AuthorTokenCutoffs(AuthorCache cache) {
        this.cache = cache;
    }

    @Override
    public Uni<Instant> validAfter(String userId) {
        return cache.get(userId).map(author -> author == null ? null : author.tokensValidAfter);
    }
}
