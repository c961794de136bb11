package dev.conduit.events.post;

import java.util.List;

/**
 * An article changed (the slug too when the title changed); carries the article's state after the change. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleUpdated(String articleId, String slug, String title, String description, List<String> tagList, String authorId) {
    public static final String TYPE = "ArticleUpdated";
    public static final int SCHEMA_VERSION = 1;
}
