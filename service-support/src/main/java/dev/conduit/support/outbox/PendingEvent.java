package dev.conduit.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.EventEnvelope;

import java.time.Instant;
import java.util.UUID;

/**
 * An event waiting in its aggregate's document ({@code pendingEvents}) until Kafka has
 * acknowledged it. Written in the same single-document update as the change it describes, so a
 * change is never stored without its event. {@code data} is the payload as JSON text. Made by
 * {@link PendingEvents#of}.
 */
public class PendingEvent {

    public String eventId;
    public String type;
    public int schemaVersion;
    public long aggregateVersion;
    public Instant occurredAt;
    public String data;
    /** The Kafka record key when it is not the aggregate id (comments are keyed by their article). */
    public String key;
    /**
     * The W3C {@code traceparent} of the request that wrote the event, so the relay's send continues
     * its trace; null while tracing is off (see {@link dev.conduit.support.tracing.EventTracing}).
     */
    public String traceparent;

    public PendingEvent() {
    }

    static PendingEvent of(String type, int schemaVersion, long aggregateVersion, String data) {
        PendingEvent e = new PendingEvent();
        e.eventId = UUID.randomUUID().toString();
        e.type = type;
        e.schemaVersion = schemaVersion;
        e.aggregateVersion = aggregateVersion;
        e.occurredAt = Instant.now();
        e.data = data;
        return e;
    }

    /** The same event, published under {@code recordKey} instead of the aggregate id. */
    public PendingEvent keyedBy(String recordKey) {
        this.key = recordKey;
        return this;
    }

    /** The envelope this entry is published in, as version {@link #aggregateVersion} of {@code aggregateId}. */
    EventEnvelope envelope(String aggregateId, ObjectMapper json) {
        try {
            return new EventEnvelope(UUID.fromString(eventId), type, schemaVersion, aggregateId, aggregateVersion, occurredAt,
                    json.readTree(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("pending event " + eventId + " of " + aggregateId + " is not valid JSON", e);
        }
    }
}
