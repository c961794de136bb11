package dev.conduit.events.user;

import dev.conduit.events.ConduitEvent;

/**
 * The public profile (username, bio, image) changed; carries the whole profile after the change, so
 * a consumer that holds a newer version may ignore an older one safely.
 * Topic {@code conduit.users}, key = user id.
 */
public record UserProfileChanged(String userId, String username, String bio, String image) implements ConduitEvent {
    public static final String TYPE = "UserProfileChanged";
}
