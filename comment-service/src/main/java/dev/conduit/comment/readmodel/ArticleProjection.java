package dev.conduit.comment.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.EventEnvelope;
import dev.conduit.events.post.ArticleDeleted;
import dev.conduit.events.post.ArticlePublished;
import dev.conduit.events.post.ArticleUpdated;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Keeps the {@code articles} read model from post-service's events, idempotently and in version
 * order. Which articles exist, under which slug, and which are gone; what becomes of a gone
 * article's comments is the comment service's rule, not this read model's.
 */
@ApplicationScoped
public class ArticleProjection {

    private static final Logger LOG = Logger.getLogger(ArticleProjection.class);

    private final ArticleRepository articles;
    private final ObjectMapper json;

    public ArticleProjection(ArticleRepository articles, ObjectMapper json) {
        this.articles = articles;
        this.json = json;
    }

    /**
     * Applies one event from {@code conduit.posts}. Duplicates and events older than what is held
     * change nothing; types this service does not need (favorites, types added later) are skipped.
     * A malformed event fails, and the consumer sends it to the dead-letter topic.
     *
     * @return the id of the article this event deleted (also for a replay: deleting is final and a
     *         cascade may have been cut short), else null
     */
    public Uni<String> apply(EventEnvelope event) {
        String id = event.aggregateId();
        long version = event.aggregateVersion();
        try {
            return switch (event.type()) {
                case ArticlePublished.TYPE -> {
                    ArticlePublished e = json.treeToValue(event.data(), ArticlePublished.class);
                    yield articles.upsertIfNewer(id, version, require(e.slug(), "slug"), e.authorId(), false, event.occurredAt())
                            .map(ignored -> (String) null);
                }
                case ArticleUpdated.TYPE -> {
                    ArticleUpdated e = json.treeToValue(event.data(), ArticleUpdated.class);
                    yield articles.upsertIfNewer(id, version, require(e.slug(), "slug"), e.authorId(), false, event.occurredAt())
                            .map(ignored -> (String) null);
                }
                case ArticleDeleted.TYPE -> {
                    ArticleDeleted e = json.treeToValue(event.data(), ArticleDeleted.class);
                    // the tombstone first, then (by the consumer) the comments: a comment written
                    // meanwhile sees one or the other
                    yield articles.upsertIfNewer(id, version, e.slug(), e.authorId(), true, event.occurredAt())
                            .chain(() -> articles.markDeleted(id))
                            .replaceWith(id);
                }
                default -> {
                    LOG.debugf("skipping post event of type %s", event.type());
                    yield Uni.createFrom().nullItem();
                }
            };
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + event.type() + " " + event.eventId() + ": " + e.getMessage(), e);
        }
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("post event without " + field);
        }
        return value;
    }
}
