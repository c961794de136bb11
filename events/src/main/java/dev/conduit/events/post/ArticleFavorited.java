package dev.conduit.events.post;

/**
 * {@code userId} favorited the article; {@code favoritesCount} is the count after it. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleFavorited(String articleId, String userId, long favoritesCount) {
    public static final String TYPE = "ArticleFavorited";
    public static final int SCHEMA_VERSION = 1;
}
