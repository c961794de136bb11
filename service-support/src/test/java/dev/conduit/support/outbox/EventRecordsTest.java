package dev.conduit.support.outbox;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The CloudEvents attributes of a relayed event repeat its envelope and point at its AsyncAPI message. */
class EventRecordsTest {

    @Test
    void theAttributesComeFromTheEnvelope() {
        PendingEvent event = PendingEvent.of("ArticleFavorited", 1, 3, "{\"articleId\":\"a1\"}");
        event.occurredAt = Instant.parse("2026-01-01T10:00:00.123456Z");

        OutgoingCloudEventMetadata<String> ce = EventRecords.cloudEvent(event, "a1");

        assertEquals(event.eventId, ce.getId());
        assertEquals("dev.conduit.ArticleFavorited", ce.getType());
        assertEquals(Optional.of("a1"), ce.getSubject());
        assertEquals(event.occurredAt, ce.getTimeStamp().orElseThrow().toInstant());
        assertEquals(Optional.of(URI.create("urn:conduit:events#/components/messages/ArticleFavorited.v1")), ce.getDataSchema());
        assertEquals(Optional.of("application/json"), ce.getDataContentType());
        assertEquals("1.0", ce.getSpecVersion());
        assertNull(ce.getSource(), "the source is the channel's (cloud-events-source), named after the service");
    }

    @Test
    void aNewSchemaVersionPointsAtItsOwnMessage() {
        PendingEvent event = PendingEvent.of("UserRegistered", 2, 1, "{}");
        assertEquals(Optional.of(URI.create("urn:conduit:events#/components/messages/UserRegistered.v2")),
                EventRecords.cloudEvent(event, "u1").getDataSchema());
    }
}
