package dev.conduit.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope every Conduit event travels in, on every topic.
 *
 * <p>The Kafka record key is {@link #aggregateId()} (comments are keyed by their article instead,
 * which keeps an article's comments together), so one aggregate's events stay in one partition and
 * in order. Consumers apply an event only when {@link #aggregateVersion()} is newer
 * than the version they hold; duplicates and stale events are no-ops.
 *
 * @param eventId          unique per event; consumers may use it to de-duplicate
 * @param type             the event type, one of the names in the contract (e.g. {@code UserRegistered})
 * @param schemaVersion    version of {@code data}'s shape for this type; additive changes keep it
 * @param aggregateId      id of the aggregate that changed, also the record key
 * @param aggregateVersion monotonic per aggregate, starting at 1
 * @param occurredAt       when the change was committed
 * @param data             the type-specific payload
 */
public record EventEnvelope(
        UUID eventId,
        String type,
        int schemaVersion,
        String aggregateId,
        long aggregateVersion,
        Instant occurredAt,
        JsonNode data) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(data, "data");
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1");
        }
        if (aggregateVersion < 1) {
            throw new IllegalArgumentException("aggregateVersion must be >= 1");
        }
    }
}
