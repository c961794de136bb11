package dev.conduit.comment.rest;

/** {@code {"comment":{"id","createdAt","updatedAt","body","author"}}}. */
public record CommentResponse(Comment comment) {

    /** One comment on the wire; timestamps always with milliseconds. */
    public record Comment(long id, String createdAt, String updatedAt, String body, Author author) {
    }

    /** The author's public profile; bio and image may be null, {@code following} is the caller's. */
    public record Author(String username, String bio, String image, boolean following) {
    }
}
