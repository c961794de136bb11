package dev.conduit.events.post;

import dev.conduit.events.ConduitEvent;

/**
 * An article was deleted; its comments go with it. Topic {@code conduit.posts}, key = article id.
 */
public record ArticleDeleted(String articleId, String slug, String authorId) implements ConduitEvent {
    public static final String TYPE = "ArticleDeleted";
}
