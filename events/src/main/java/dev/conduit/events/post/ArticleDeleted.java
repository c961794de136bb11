package dev.conduit.events.post;

/**
 * An article was deleted; its comments go with it. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleDeleted(String articleId, String slug, String authorId) {
    public static final String TYPE = "ArticleDeleted";
    public static final int SCHEMA_VERSION = 1;
}
