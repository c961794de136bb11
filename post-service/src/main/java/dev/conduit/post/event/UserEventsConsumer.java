package dev.conduit.post.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.EventEnvelope;
import dev.conduit.support.readmodel.AuthorDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the authors read model from {@code conduit.users}. The record is acknowledged when the
 * update is stored; an event that cannot be applied fails and goes to {@code conduit.dlq.post-service}.
 */
@ApplicationScoped
public class UserEventsConsumer {

    private final AuthorDirectory directory;
    private final ObjectMapper json;

    public UserEventsConsumer(AuthorDirectory directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    @Incoming("users-in")
    public Uni<Void> consume(String value) {
        EventEnvelope event;
        try {
            event = json.readValue(value, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("not an event envelope: " + e.getOriginalMessage()));
        }
        return directory.apply(event);
    }
}
