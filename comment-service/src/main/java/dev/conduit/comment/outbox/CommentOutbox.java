package dev.conduit.comment.outbox;

import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.Outboxes;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * comment-service's outbox: comment events wait in the {@code comments} documents and go to the
 * channel {@code comments-out} (topic {@code conduit.comments}, keyed by article id). A deleted
 * comment is a tombstone until its last event is out. Relaying and its schedule are
 * service-support's ({@link Outboxes}, {@code OutboxSchedule}).
 */
@ApplicationScoped
public class CommentOutbox {

    @Produces
    @Singleton
    OutboxRelay comments(Outboxes outboxes, @Channel("comments-out") MutinyEmitter<String> out) {
        return outboxes.relay("comments", out);
    }
}
