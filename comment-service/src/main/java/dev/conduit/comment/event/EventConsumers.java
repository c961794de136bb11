package dev.conduit.comment.event;

import dev.conduit.comment.service.ArticleProjection;
import dev.conduit.support.readmodel.AuthorDirectory;
import dev.conduit.support.readmodel.EnvelopeConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The two read models' consumers: user events for authors and follows, post events for which
 * articles exist and under which slug. Acknowledged after being applied; what cannot be applied
 * goes to {@code conduit.dlq.comment-service}; MongoDB outages are waited out (see
 * {@link EnvelopeConsumer}).
 */
@ApplicationScoped
public class EventConsumers {

    private final AuthorDirectory authors;
    private final ArticleProjection articles;
    private final EnvelopeConsumer consumer;

    public EventConsumers(AuthorDirectory authors, ArticleProjection articles, EnvelopeConsumer consumer) {
        this.authors = authors;
        this.articles = articles;
        this.consumer = consumer;
    }

    @Incoming("user-events")
    public Uni<Void> onUserEvent(String record) {
        return consumer.consume(record, authors::apply);
    }

    @Incoming("post-events")
    public Uni<Void> onPostEvent(String record) {
        return consumer.consume(record, articles::apply);
    }
}
