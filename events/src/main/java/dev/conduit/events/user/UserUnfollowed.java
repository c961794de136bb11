package dev.conduit.events.user;

/**
 * {@code followerId} stopped following {@code followeeId}. Topic {@code conduit.users}, key =
 * follower id, version = the follower's.
 */
public record UserUnfollowed(String followerId, String followeeId) {
    public static final String TYPE = "UserUnfollowed";
    public static final int SCHEMA_VERSION = 1;
}
