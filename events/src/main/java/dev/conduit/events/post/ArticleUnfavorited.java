package dev.conduit.events.post;

/**
 * {@code userId} took back a favorite; {@code favoritesCount} is the count after it. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleUnfavorited(String articleId, String userId, long favoritesCount) {
    public static final String TYPE = "ArticleUnfavorited";
    public static final int SCHEMA_VERSION = 1;
}
