package dev.conduit.events.post;

import dev.conduit.events.ConduitEvent;

/**
 * {@code userId} favorited the article; {@code favoritesCount} is the count after it. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleFavorited(String articleId, String userId, long favoritesCount) implements ConduitEvent {
    public static final String TYPE = "ArticleFavorited";
}
