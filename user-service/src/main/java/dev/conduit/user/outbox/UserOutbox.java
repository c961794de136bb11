package dev.conduit.user.outbox;

import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.Outboxes;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * user-service's outbox: user events wait in the {@code users} documents and go to the channel
 * {@code users-out} (topic {@code conduit.users}, keyed by user id). Relaying and its schedule are
 * service-support's ({@link Outboxes}, {@code OutboxSchedule}).
 */
@ApplicationScoped
public class UserOutbox {

    @Produces
    @Singleton
    OutboxRelay users(Outboxes outboxes, @Channel("users-out") MutinyEmitter<String> out) {
        return outboxes.relay("users", out);
    }
}
