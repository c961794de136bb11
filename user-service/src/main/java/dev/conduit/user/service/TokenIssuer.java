package dev.conduit.user.service;

import dev.conduit.support.security.Caller;
import dev.conduit.user.UserDocument;
import dev.conduit.user.config.UserConfig;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Signs RS256 tokens: subject = user id, a {@code username} claim, issuer and expiry. The private
 * key is read from {@code smallrye.jwt.sign.key.location} (a generated file locally, a Secret in
 * Kubernetes).
 */
@ApplicationScoped
public class TokenIssuer {

    private final UserConfig config;

    public TokenIssuer(UserConfig config) {
        this.config = config;
    }

    public Uni<String> issue(UserDocument user) {
        // signing may read the key file: off the event loop
        return Uni.createFrom().item(() -> Jwt.issuer(config.tokenIssuer())
                        .subject(user.id.toHexString())
                        .upn(user.username)
                        .claim(Caller.USERNAME_CLAIM, user.username)
                        .expiresIn(config.tokenLifetime())
                        .sign())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
