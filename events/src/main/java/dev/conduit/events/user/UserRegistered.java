package dev.conduit.events.user;

import dev.conduit.events.ConduitEvent;

/**
 * A user account was created. Carries the public profile only: never the email or the password
 * hash, which no other service needs. Topic {@code conduit.users}, key = user id.
 */
public record UserRegistered(String userId, String username, String bio, String image) implements ConduitEvent {
    public static final String TYPE = "UserRegistered";
}
