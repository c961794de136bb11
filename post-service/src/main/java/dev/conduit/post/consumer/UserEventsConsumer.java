package dev.conduit.post.consumer;

import dev.conduit.readmodel.authors.AuthorDirectory;
import dev.conduit.support.consumer.EnvelopeConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the authors read model from {@code conduit.users}. Acknowledged when stored; an event that
 * cannot be applied goes to {@code conduit.dlq.post-service}; MongoDB outages are waited out (see
 * {@link EnvelopeConsumer}).
 */
@ApplicationScoped
public class UserEventsConsumer {

    private final AuthorDirectory directory;
    private final EnvelopeConsumer consumer;

    public UserEventsConsumer(AuthorDirectory directory, EnvelopeConsumer consumer) {
        this.directory = directory;
        this.consumer = consumer;
    }

    @Incoming("users-in")
    public Uni<Void> consume(String value) {
        return consumer.consume(value, directory::apply);
    }
}
