package dev.conduit.comment.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.comment.config.CommentConfig;
import dev.conduit.comment.repository.CommentRepository;
import dev.conduit.support.outbox.OutboxRelay;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Relays comment events from the {@code comments} documents' outbox to {@code conduit.comments}
 * (keyed by article id): right after each write, and in a sweep at start-up and every few seconds
 * for whatever a crash or a Kafka outage left behind. A deleted comment's tombstone is removed once
 * its last event is out.
 */
@ApplicationScoped
public class CommentEventRelay {

    private static final Logger LOG = Logger.getLogger(CommentEventRelay.class);

    private final OutboxRelay relay;
    private final CommentRepository comments;

    public CommentEventRelay(CommentRepository comments, @Channel("comment-events") MutinyEmitter<String> emitter,
                             ObjectMapper json, CommentConfig config) {
        this.comments = comments;
        this.relay = new OutboxRelay(comments.documents(), emitter, json, config.outboxLease());
    }

    /** Starts relaying the events {@code commentId} has pending; the caller does not wait for Kafka. */
    public void publishSoon(long commentId) {
        relay.publish(commentId)
                .chain(() -> comments.purgeTombstones(commentId))
                .subscribe().with(ignored -> { }, e -> LOG.warn("relay of comment " + commentId + " failed", e));
    }

    void onStart(@Observes StartupEvent event) {
        sweep().subscribe().with(ignored -> { }, e -> LOG.warn("start-up sweep failed", e));
    }

    /** Events held back by a Kafka outage go out within a second of its end. */
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> catchUp() {
        return relay.sweepIfBehind();
    }

    @Scheduled(every = "${conduit.comment.outbox-sweep-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return relay.sweep().chain(() -> comments.purgeTombstones(null));
    }
}
