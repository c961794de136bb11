package dev.conduit.events.post;

import dev.conduit.events.ConduitEvent;

/**
 * {@code userId} took back a favorite; {@code favoritesCount} is the count after it. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleUnfavorited(String articleId, String userId, long favoritesCount) implements ConduitEvent {
    public static final String TYPE = "ArticleUnfavorited";
}
