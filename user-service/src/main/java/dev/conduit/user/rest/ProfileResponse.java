package dev.conduit.user.rest;

/** {@code {"profile":{"username","bio","image","following"}}}. */
public record ProfileResponse(Profile profile) {
    public record Profile(String username, String bio, String image, boolean following) {
    }
}
