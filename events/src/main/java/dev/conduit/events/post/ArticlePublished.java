package dev.conduit.events.post;

import java.util.List;

/**
 * An article was published. Topic {@code conduit.posts}, key = article id.
 */
public record ArticlePublished(String articleId, String slug, String title, String description, List<String> tagList, String authorId) {
    public static final String TYPE = "ArticlePublished";
    public static final int SCHEMA_VERSION = 1;
}
