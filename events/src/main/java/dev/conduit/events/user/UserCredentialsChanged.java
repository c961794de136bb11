package dev.conduit.events.user;

import dev.conduit.events.ConduitEvent;

import java.time.Instant;

/**
 * The user's password changed: every token issued before {@code tokensValidAfter} (a whole second,
 * compared with the token's {@code iat}) is revoked. Verifiers keep it per user and refuse older
 * tokens. Topic {@code conduit.users}, key = user id.
 */
public record UserCredentialsChanged(String userId, Instant tokensValidAfter) implements ConduitEvent {
    public static final String TYPE = "UserCredentialsChanged";
}
