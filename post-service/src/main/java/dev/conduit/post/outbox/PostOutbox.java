package dev.conduit.post.outbox;

import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.Outboxes;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * post-service's outbox: article events wait in the {@code posts} documents and go to the channel
 * {@code posts-out} (topic {@code conduit.posts}, keyed by article id). A deleted article is a
 * tombstone until its {@code ArticleDeleted} is out. Relaying and its schedule are
 * service-support's ({@link Outboxes}, {@code OutboxSchedule}).
 */
@ApplicationScoped
public class PostOutbox {

    @Produces
    @Singleton
    OutboxRelay posts(Outboxes outboxes, @Channel("posts-out") MutinyEmitter<String> out) {
        return outboxes.relay("posts", out);
    }
}
