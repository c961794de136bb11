package dev.conduit.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.ConduitEvent;
import dev.conduit.support.tracing.EventTracing;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writing an event is one call: {@code events.of(new UserFollowed(me, them), me.version + 1)} gives
 * the entry to append to the aggregate's {@code pendingEvents} in the same update as the change.
 */
@ApplicationScoped
public class PendingEvents {

    private final ObjectMapper json;

    public PendingEvents(ObjectMapper json) {
        this.json = json;
    }

    /** {@code event} as version {@code aggregateVersion} of its aggregate, keyed by the aggregate id. */
    public PendingEvent of(ConduitEvent event, long aggregateVersion) {
        try {
            PendingEvent pending = PendingEvent.of(event.eventType(), event.schemaVersion(), aggregateVersion, json.writeValueAsString(event));
            pending.traceparent = EventTracing.currentTraceparent();
            return pending;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.eventType(), e);
        }
    }
}
