package dev.conduit.user.rest;

/** {@code {"user":{"email","token","username","bio","image"}}}; bio and image may be null. */
public record UserResponse(User user) {
    public record User(String email, String token, String username, String bio, String image) {
    }
}
