package dev.conduit.support.outbox;

import dev.conduit.events.CloudEvents;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;

import java.net.URI;
import java.time.ZoneOffset;

/**
 * The CloudEvents attributes of a relayed event (binary content mode: SmallRye writes them as
 * {@code ce_} headers and {@code content-type}, the record value stays the envelope). The source
 * comes from the channel's {@code cloud-events-source}, {@code /conduit/<application name>}
 * (service-support's microprofile-config.properties).
 */
final class EventRecords {

    private EventRecords() {
    }

    static OutgoingCloudEventMetadata<String> cloudEvent(PendingEvent event, String aggregateId) {
        return OutgoingCloudEventMetadata.<String>builder()
                .withId(event.eventId)
                .withType(CloudEvents.type(event.type))
                .withSubject(aggregateId)
                .withTimestamp(event.occurredAt.atZone(ZoneOffset.UTC))
                .withDataSchema(URI.create(CloudEvents.dataSchema(event.type, event.schemaVersion)))
                .withDataContentType(CloudEvents.CONTENT_TYPE)
                .build();
    }
}
