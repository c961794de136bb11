package dev.conduit.events.user;

import dev.conduit.events.ConduitEvent;

/**
 * {@code followerId} started following {@code followeeId}. The aggregate is the follower: topic
 * {@code conduit.users}, key = follower id, version = the follower's.
 */
public record UserFollowed(String followerId, String followeeId) implements ConduitEvent {
    public static final String TYPE = "UserFollowed";
}
