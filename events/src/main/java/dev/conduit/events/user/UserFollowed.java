package dev.conduit.events.user;

/**
 * {@code followerId} started following {@code followeeId}. The aggregate is the follower: topic
 * {@code conduit.users}, key = follower id, version = the follower's.
 */
public record UserFollowed(String followerId, String followeeId) {
    public static final String TYPE = "UserFollowed";
    public static final int SCHEMA_VERSION = 1;
}
