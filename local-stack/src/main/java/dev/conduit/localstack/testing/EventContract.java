package dev.conduit.localstack.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.conduit.events.CloudEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a published record to the AsyncAPI document of the events module: the message that its
 * {@code ce_dataschema} points at must belong to the record's topic, its headers and value must
 * validate against that message's schemas, the CloudEvents attributes must repeat the envelope,
 * and the value may carry no field the document does not name. Every service's event tests pass
 * what they read through {@link #assertValid}, so the document cannot drift from what is sent.
 */
public final class EventContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMAS = "dev/conduit/events/";
    private static final Map<String, JsonNode> FILES = new HashMap<>();
    private static final JsonNode DOCUMENT = load(CloudEvents.ASYNCAPI_RESOURCE);
    private static final Map<String, Message> MESSAGES = new ConcurrentHashMap<>();

    private EventContract() {
    }

    /** Fails with every violation found when {@code record} does not match the contract. */
    public static void assertValid(ConsumerRecord<String, String> record) {
        List<String> violations = violations(record.topic(), record.headers(), record.value());
        if (!violations.isEmpty()) {
            throw new AssertionError("record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " breaks the event contract:\n  " + String.join("\n  ", violations) + "\nvalue: " + record.value());
        }
    }

    /**
     * Reads {@code topic} from its beginning to its current end and checks every record: what every
     * test of the module run so far has made the service publish. Returns how many it checked.
     */
    public static int assertTopicValid(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            List<String> failures = new ArrayList<>();
            int checked = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(topic, record.partition()))) {
                        continue;
                    }
                    checked++;
                    try {
                        assertValid(record);
                    } catch (AssertionError e) {
                        failures.add(e.getMessage());
                    }
                }
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(failures.size() + " of " + checked + " records on " + topic
                        + " break the event contract:\n" + String.join("\n", failures));
            }
            return checked;
        }
    }

    /** Everything wrong with a record on {@code topic}; empty when it matches the contract. */
    public static List<String> violations(String topic, Headers recordHeaders, String value) {
        List<String> violations = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : recordHeaders) {
            String text = header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            if (headers.containsKey(header.key())) {
                violations.add("header " + header.key() + " appears more than once");
            }
            headers.put(header.key(), text);
        }
        JsonNode channel = channel(topic);
        if (channel == null) {
            violations.add("no channel of the AsyncAPI document has the address " + topic);
            return violations;
        }
        String dataSchema = headers.get("ce_dataschema");
        String prefix = CloudEvents.CONTRACT + "#";
        if (dataSchema == null || !dataSchema.startsWith(prefix)) {
            violations.add("ce_dataschema " + dataSchema + " does not point into " + CloudEvents.CONTRACT);
            return violations;
        }
        String pointer = dataSchema.substring(prefix.length());
        boolean onChannel = false;
        for (JsonNode ref : channel.path("messages")) {
            onChannel |= ("#" + pointer).equals(ref.path("$ref").asText());
        }
        if (!onChannel || DOCUMENT.at(pointer).isMissingNode()) {
            violations.add("ce_dataschema " + dataSchema + " names no message of the channel " + topic);
            return violations;
        }
        Message message = MESSAGES.computeIfAbsent(pointer, Message::of);

        ObjectNode headerNode = JSON.createObjectNode();
        headers.forEach(headerNode::put);
        message.headers.validate(headerNode).forEach(m -> violations.add("headers: " + m.getMessage()));
        String source = channel.path("x-ce-source").asText(null);
        if (!Objects.equals(source, headers.get("ce_source"))) {
            violations.add("ce_source " + headers.get("ce_source") + " is not the channel's owner " + source);
        }

        JsonNode envelope;
        try {
            envelope = value == null ? null : JSON.readTree(value);
        } catch (JsonProcessingException e) {
            violations.add("the value is not JSON: " + e.getOriginalMessage());
            return violations;
        }
        if (envelope == null || !envelope.isObject()) {
            violations.add("the value is not a JSON object");
            return violations;
        }
        message.payload.validate(envelope).forEach(m -> violations.add("value: " + m.getMessage()));
        undocumented("envelope", envelope, message.envelopeFields, violations);
        undocumented("data", envelope.path("data"), message.dataFields, violations);

        same("ce_id", headers.get("ce_id"), "eventId", envelope.path("eventId").asText(null), violations);
        same("conduit-event-id", headers.get("conduit-event-id"), "eventId", envelope.path("eventId").asText(null), violations);
        same("ce_subject", headers.get("ce_subject"), "aggregateId", envelope.path("aggregateId").asText(null), violations);
        same("ce_type", headers.get("ce_type"), "dev.conduit. + type",
                envelope.hasNonNull("type") ? CloudEvents.type(envelope.get("type").asText()) : null, violations);
        try {
            if (headers.get("ce_time") != null && envelope.hasNonNull("occurredAt")
                    && !Instant.parse(headers.get("ce_time")).equals(Instant.parse(envelope.get("occurredAt").asText()))) {
                violations.add("ce_time " + headers.get("ce_time") + " is not occurredAt " + envelope.get("occurredAt").asText());
            }
        } catch (DateTimeParseException e) {
            violations.add("ce_time or occurredAt is no instant: " + e.getMessage());
        }
        return violations;
    }

    private static void same(String header, String headerValue, String field, String fieldValue, List<String> violations) {
        if (headerValue != null && !headerValue.equals(fieldValue)) {
            violations.add(header + " " + headerValue + " differs from " + field + " " + fieldValue);
        }
    }

    /** A producer sends only what the document names (consumers, on the other hand, ignore the unknown). */
    private static void undocumented(String where, JsonNode object, List<String> documented, List<String> violations) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!documented.contains(name)) {
                violations.add(where + " field " + name + " is not in the AsyncAPI document");
            }
        }
    }

    private static JsonNode channel(String topic) {
        for (JsonNode channel : DOCUMENT.path("channels")) {
            if (topic.equals(channel.path("address").asText())) {
                return channel;
            }
        }
        return null;
    }

    /** One AsyncAPI message, its schemas with every reference resolved into one self-contained schema. */
    private record Message(JsonSchema headers, JsonSchema payload, List<String> envelopeFields, List<String> dataFields) {

        static Message of(String pointer) {
            JsonNode message = DOCUMENT.at(pointer);
            JsonNode payload = inline(message.get("payload"));
            List<String> envelopeFields = new ArrayList<>();
            List<String> dataFields = new ArrayList<>();
            for (JsonNode part : payload.path("allOf")) {
                part.path("properties").fieldNames().forEachRemaining(envelopeFields::add);
                part.path("properties").path("data").path("properties").fieldNames().forEachRemaining(dataFields::add);
            }
            return new Message(schema(inline(message.get("headers"))), schema(payload), envelopeFields, dataFields);
        }

        private static JsonSchema schema(JsonNode node) {
            ObjectNode root = ((ObjectNode) node).deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root, config);
        }
    }

    /**
     * {@code node} with every {@code $ref} replaced by what it names: a pointer into the document,
     * or a schema file beside it (whose own {@code $schema}/{@code $id} are dropped, the root's rule).
     */
    private static JsonNode inline(JsonNode node) {
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(inline(item)));
            return copy;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            JsonNode target = ref.startsWith("#") ? DOCUMENT.at(ref.substring(1)) : load(SCHEMAS + ref);
            if (target.isMissingNode()) {
                throw new IllegalStateException("the AsyncAPI document refers to " + ref + ", which does not exist");
            }
            ObjectNode resolved = (ObjectNode) inline(target);
            resolved.remove("$schema");
            resolved.remove("$id");
            return resolved;
        }
        ObjectNode copy = JSON.createObjectNode();
        node.fields().forEachRemaining(e -> copy.set(e.getKey(), inline(e.getValue())));
        return copy;
    }

    private static synchronized JsonNode load(String resource) {
        return FILES.computeIfAbsent(resource, r -> {
            try (InputStream in = EventContract.class.getClassLoader().getResourceAsStream(r)) {
                if (in == null) {
                    throw new IllegalStateException(r + " is not on the classpath (conduit-events)");
                }
                return (r.endsWith(".yaml") ? new ObjectMapper(new YAMLFactory()) : JSON).readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
