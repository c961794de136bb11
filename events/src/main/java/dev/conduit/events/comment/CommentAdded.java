package dev.conduit.events.comment;

import dev.conduit.events.ConduitEvent;

/**
 * A comment was added to an article. Topic {@code conduit.comments}, key = article id, so one article's comments stay in order.
 */
public record CommentAdded(long commentId, String articleId, String authorId, String body) implements ConduitEvent {
    public static final String TYPE = "CommentAdded";
}
