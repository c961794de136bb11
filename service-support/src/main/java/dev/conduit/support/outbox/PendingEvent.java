package dev.conduit.support.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * An event waiting in its aggregate's document ({@code pendingEvents}) until Kafka has
 * acknowledged it. Written in the same single-document update as the change it describes, so a
 * change is never stored without its event. {@code data} is the payload as JSON text.
 */
public class PendingEvent {

    public String eventId;
    public String type;
    public int schemaVersion;
    public long aggregateVersion;
    public Instant occurredAt;
    public String data;

    public PendingEvent() {
    }

    public static PendingEvent of(String type, int schemaVersion, long aggregateVersion, String data) {
        PendingEvent e = new PendingEvent();
        e.eventId = UUID.randomUUID().toString();
        e.type = type;
        e.schemaVersion = schemaVersion;
        e.aggregateVersion = aggregateVersion;
        e.occurredAt = Instant.now();
        e.data = data;
        return e;
    }
}
