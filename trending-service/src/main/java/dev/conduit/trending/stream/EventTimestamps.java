package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.time.Instant;

/**
 * Event time: the envelope's {@code occurredAt}, so that a replay or a consumer that fell behind
 * scores events in the windows they happened in. A record without one keeps the broker's timestamp
 * (the processor then drops it as invalid anyway).
 */
public final class EventTimestamps implements TimestampExtractor {

    private final ObjectMapper json;

    public EventTimestamps(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof String value) {
            try {
                JsonNode occurredAt = json.readTree(value).get("occurredAt");
                if (occurredAt != null && occurredAt.isTextual()) {
                    return Instant.parse(occurredAt.asText()).toEpochMilli();
                }
            } catch (Exception e) {
                // not an envelope: fall through to the record's own timestamp
            }
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
