package dev.conduit.events.post;

import dev.conduit.events.ConduitEvent;

import java.util.List;

/**
 * An article was published. Topic {@code conduit.posts}, key = article id.
 */
public record ArticlePublished(String articleId, String slug, String title, String description, List<String> tagList, String authorId) implements ConduitEvent {
    public static final String TYPE = "ArticlePublished";
}
