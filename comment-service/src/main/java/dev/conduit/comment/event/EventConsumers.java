package dev.conduit.comment.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.conduit.comment.config.CommentConfig;
import dev.conduit.comment.service.ArticleProjection;
import dev.conduit.events.EventEnvelope;
import dev.conduit.support.readmodel.AuthorDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Function;

/**
 * The two read models' consumers: user events for authors and follows, post events for which
 * articles exist and under which slug. Each record is acknowledged after it is applied. One that
 * cannot be applied (not an envelope, a required field missing) is nacked and goes to
 * {@code conduit.dlq.comment-service}; while MongoDB is unreachable the record is retried, with
 * back-off, rather than parked, since nothing is wrong with it.
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);

    private final AuthorDirectory authors;
    private final ArticleProjection articles;
    private final ObjectMapper json;
    private final Duration maxBackoff;

    public EventConsumers(AuthorDirectory authors, ArticleProjection articles, ObjectMapper json, CommentConfig config) {
        this.authors = authors;
        this.articles = articles;
        this.json = json;
        this.maxBackoff = config.consumerMaxBackoff();
    }

    @Incoming("user-events")
    public Uni<Void> onUserEvent(String record) {
        return consume(record, authors::apply);
    }

    @Incoming("post-events")
    public Uni<Void> onPostEvent(String record) {
        return consume(record, articles::apply);
    }

    private Uni<Void> consume(String record, Function<EventEnvelope, Uni<Void>> apply) {
        return Uni.createFrom().deferred(() -> apply.apply(parse(record)))
                .onFailure(EventConsumers::isTransient).invoke(e -> LOG.warnf("cannot apply an event now, will retry: %s", e.toString()))
                .onFailure(EventConsumers::isTransient).retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely()
                .onFailure().invoke(e -> LOG.warnf("event sent to the dead-letter topic: %s", e.toString()));
    }

    private EventEnvelope parse(String record) {
        if (record == null) {
            throw new IllegalArgumentException("record without a value");
        }
        try {
            return json.readValue(record, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an event envelope: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isTransient(Throwable e) {
        return e instanceof MongoTimeoutException || e instanceof MongoSocketException
                || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
                || e instanceof MongoConnectionPoolClearedException;
    }
}
