package dev.conduit.support.outbox;

import dev.conduit.events.CloudEvents;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;

import java.net.URI;
import java.time.ZoneOffset;

/**
 * The CloudEvents attributes of a relayed event (binary content mode: SmallRye writes them as
 * {@code ce_} headers and {@code content-type}, the record value stays the envelope). The source
 * comes from the channel's {@code cloud-events-source}, {@code /conduit/<application name>}
 * (service-support's microprofile-config.properties). The outgoing channel must say
 * {@code cloud-events=true}, or SmallRye ignores this metadata; each service's event tests check the
 * headers against the AsyncAPI document (local-stack's {@code EventContract}).
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
