package dev.conduit.events.user;

/**
 * The public profile (username, bio, image) changed; carries the whole profile after the change, so
 * a consumer that holds a newer version may ignore an older one safely.
 * Topic {@code conduit.users}, key = user id.
 */
public record UserProfileChanged(String userId, String username, String bio, String image) {
    public static final String TYPE = "UserProfileChanged";
    public static final int SCHEMA_VERSION = 1;
}
