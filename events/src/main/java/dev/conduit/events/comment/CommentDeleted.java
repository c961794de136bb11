package dev.conduit.events.comment;

import dev.conduit.events.ConduitEvent;

/**
 * A comment was deleted. Topic {@code conduit.comments}, key = article id.
 */
public record CommentDeleted(long commentId, String articleId, String authorId) implements ConduitEvent {
    public static final String TYPE = "CommentDeleted";
}
