package dev.conduit.user.service;

import dev.conduit.support.security.Caller;
import dev.conduit.user.UserDocument;
import dev.conduit.user.config.UserConfig;
import dev.conduit.user.security.KeySet;
import dev.conduit.user.security.SigningKeys;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Signs RS256 tokens: subject = user id, a {@code username} claim, issuer, issued-at and expiry,
 * signed with the current key of {@link SigningKeys} and carrying its {@code kid} in the header, so
 * verifiers pick the right key while old and new keys are both published.
 */
@ApplicationScoped
public class TokenIssuer {

    private final UserConfig config;
    private final SigningKeys keys;

    public TokenIssuer(UserConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public Uni<String> issue(UserDocument user) {
        // an RSA signature is a millisecond of CPU: off the event loop
        return Uni.createFrom().item(() -> {
                    KeySet signing = keys.current();
                    long issuedAt = issuedAt(Instant.now(), user.tokensValidAfter);
                    return Jwt.issuer(config.tokenIssuer())
                            .subject(user.id.toHexString())
                            .upn(user.username)
                            .claim(Caller.USERNAME_CLAIM, user.username)
                            .issuedAt(issuedAt)
                            .expiresAt(issuedAt + config.tokenLifetime().toSeconds())
                            .jws().keyId(signing.signingKid())
                            .sign(signing.signingKey());
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The cut-off a password change made now sets: the next whole second. {@code iat} has whole
     * seconds only, so every token issued before the change (its {@code iat} at most this second)
     * is older than the cut-off, and a token issued from now on can carry the cut-off itself.
     */
    public static Instant cutoffFor(Instant change) {
        return change.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    }

    /**
     * A token's {@code iat}: now, or the user's cut-off while that is still ahead (less than a
     * second), so a token issued right after a password change is valid at once.
     */
    static long issuedAt(Instant now, Instant validAfter) {
        long seconds = now.getEpochSecond();
        return validAfter == null ? seconds : Math.max(seconds, validAfter.getEpochSecond());
    }
}
