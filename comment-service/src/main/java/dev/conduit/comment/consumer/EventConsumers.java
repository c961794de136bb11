package dev.conduit.comment.consumer;

import dev.conduit.comment.readmodel.ArticleProjection;
import dev.conduit.comment.service.CommentService;
import dev.conduit.readmodel.authors.AuthorDirectory;
import dev.conduit.support.consumer.EnvelopeConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The two read models' consumers: user events for authors and follows, post events for which
 * articles exist and under which slug (a deleted article's comments are then deleted by the comment
 * rules, before the record is acknowledged). Acknowledged after being applied; what cannot be applied
 * goes to {@code conduit.dlq.comment-service}; MongoDB outages are waited out (see
 * {@link EnvelopeConsumer}).
 */
@ApplicationScoped
public class EventConsumers {

    private final AuthorDirectory authors;
    private final ArticleProjection articles;
    private final CommentService comments;
    private final EnvelopeConsumer consumer;

    public EventConsumers(AuthorDirectory authors, ArticleProjection articles, CommentService comments,
                          EnvelopeConsumer consumer) {
        this.authors = authors;
        this.articles = articles;
        this.comments = comments;
        this.consumer = consumer;
    }

    @Incoming("users-in")
    public Uni<Void> onUserEvent(String record) {
        return consumer.consume(record, authors::apply);
    }

    @Incoming("posts-in")
    public Uni<Void> onPostEvent(String record) {
        return consumer.consume(record, event -> articles.apply(event)
                .chain(deleted -> deleted == null ? Uni.createFrom().voidItem() : comments.deleteAllOf(deleted)));
    }
}
