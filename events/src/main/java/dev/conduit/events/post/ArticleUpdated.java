package dev.conduit.events.post;

import dev.conduit.events.ConduitEvent;

import java.util.List;

/**
 * An article changed (the slug too when the title changed); carries the article's state after the change. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleUpdated(String articleId, String slug, String title, String description, List<String> tagList, String authorId) implements ConduitEvent {
    public static final String TYPE = "ArticleUpdated";
}
