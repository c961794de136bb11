package dev.conduit.events.comment;

/**
 * A comment was deleted. Topic {@code conduit.comments}, key = article id.
 */
public record CommentDeleted(long commentId, String articleId, String authorId) {
    public static final String TYPE = "CommentDeleted";
    public static final int SCHEMA_VERSION = 1;
}
