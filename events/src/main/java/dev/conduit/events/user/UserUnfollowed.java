package dev.conduit.events.user;

import dev.conduit.events.ConduitEvent;

/**
 * {@code followerId} stopped following {@code followeeId}. Topic {@code conduit.users}, key =
 * follower id, version = the follower's.
 */
public record UserUnfollowed(String followerId, String followeeId) implements ConduitEvent {
    public static final String TYPE = "UserUnfollowed";
}
