package dev.conduit.events;

/**
 * How a Conduit event is described as a CloudEvent 1.0 (Kafka binary content mode): the record
 * value stays the {@link EventEnvelope}, and these attributes travel in {@code ce_} headers. The
 * AsyncAPI document ({@code dev/conduit/events/asyncapi.yaml} in this jar) describes every header.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    /** The record value's media type: {@code content-type} header, the CloudEvents {@code datacontenttype}. */
    public static final String CONTENT_TYPE = "application/json";
    /** The AsyncAPI document's {@code id}: what every {@code ce_dataschema} points into. */
    public static final String CONTRACT = "urn:conduit:events";
    /** Where the AsyncAPI document lies on the classpath. */
    public static final String ASYNCAPI_RESOURCE = "dev/conduit/events/asyncapi.yaml";

    private CloudEvents() {
    }

    /** {@code ce_type}: stable per event type, without version (a new schema version changes the data schema). */
    public static String type(String eventType) {
        return "dev.conduit." + eventType;
    }

    /** {@code ce_source} of the events a service publishes. */
    public static String source(String service) {
        return "/conduit/" + service;
    }

    /** The AsyncAPI message that describes version {@code schemaVersion} of {@code eventType}. */
    public static String messageName(String eventType, int schemaVersion) {
        return eventType + ".v" + schemaVersion;
    }

    /** {@code ce_dataschema}: the contract's URI and a JSON pointer to the message in the AsyncAPI document. */
    public static String dataSchema(String eventType, int schemaVersion) {
        return CONTRACT + "#/components/messages/" + messageName(eventType, schemaVersion);
    }
}
