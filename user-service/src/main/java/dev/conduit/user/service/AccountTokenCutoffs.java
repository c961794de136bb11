package dev.conduit.user.service;

import dev.conduit.support.security.TokenCutoffs;
import dev.conduit.user.repository.UserRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.types.ObjectId;

import java.time.Instant;

/**
 * Token cut-offs as the accounts hold them: user-service owns them, so a password change refuses the
 * older tokens here from the moment it is stored.
 */
@ApplicationScoped
public class AccountTokenCutoffs implements TokenCutoffs {

    private final UserRepository users;

    public AccountTokenCutoffs(UserRepository users) {
        this.users = users;
    }

    @Override
    public Uni<Instant> validAfter(String userId) {
        // a subject that is no account id has no cut-off; the request fails later as a 401
        return ObjectId.isValid(userId) ? users.tokensValidAfter(new ObjectId(userId)) : Uni.createFrom().nullItem();
    }
}
