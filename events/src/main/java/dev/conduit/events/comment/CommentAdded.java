package dev.conduit.events.comment;

/**
 * A comment was added to an article. Topic {@code conduit.comments}, key = article id, so one article's comments stay in order.
 */
public record CommentAdded(long commentId, String articleId, String authorId, String body) {
    public static final String TYPE = "CommentAdded";
    public static final int SCHEMA_VERSION = 1;
}
