package dev.conduit.support.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.PublisherDecorator;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What happens to the events a service consumes, measured on its incoming Kafka channels so the
 * consumers need no code for it:
 * <ul>
 * <li>{@code conduit.event.apply.age} (tags {@code topic}, {@code type}): the event's age
 * ({@code now - occurredAt}) when its record is acknowledged, i.e. once the read model applied it;</li>
 * <li>{@code conduit.events.dead.lettered} (tags {@code topic}, the source topic, and {@code group}):
 * records that could not be applied and were parked in the dead-letter topic, counted once the
 * failure strategy has handled them.</li>
 * </ul>
 */
@ApplicationScoped
public class ConsumedEventMetrics implements PublisherDecorator {

    public static final String APPLY_AGE = "conduit.event.apply.age";
    public static final String DEAD_LETTERED = "conduit.events.dead.lettered";

    /** The two envelope fields the age needs; the rest is ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stamp(String type, Instant occurredAt) {
    }

    /** What an event type looks like; anything else is tagged "other", so no producer can grow the series. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

    private final MeterRegistry registry;
    private final ObjectMapper json;
    private final Config config;
    private final AppliedOffsets offsets;

    public ConsumedEventMetrics(MeterRegistry registry, ObjectMapper json, Config config, AppliedOffsets offsets) {
        this.registry = registry;
        this.json = json;
        this.config = config;
        this.offsets = offsets;
    }

    @Override
    public Multi<? extends Message<?>> decorate(Multi<? extends Message<?>> publisher, List<String> channelName,
                                                boolean isConnector) {
        if (!isConnector || channelName.isEmpty()) {
            return publisher;
        }
        String prefix = "mp.messaging.incoming." + channelName.get(0) + ".";
        String group = config.getOptionalValue(prefix + "group.id", String.class)
                .or(() -> config.getOptionalValue("kafka.group.id", String.class))
                .orElseGet(() -> config.getOptionalValue("quarkus.application.name", String.class).orElse("unknown"));
        // at 0 from the start, so that the first dead letter is an increase Prometheus can see
        config.getOptionalValue(prefix + "topics", String.class).map(topics -> List.of(topics.split(",")))
                .orElseGet(() -> List.of(config.getOptionalValue(prefix + "topic", String.class).orElse(channelName.get(0))))
                .forEach(topic -> deadLetters(topic.trim(), group));
        return publisher.map(message -> message
                .withAckWithMetadata(metadata -> message.ack(metadata).thenRun(() -> {
                    finished(message);
                    applied(message);
                }))
                .withNackWithMetadata((reason, metadata) -> message.nack(reason, metadata).thenRun(() -> {
                    finished(message);
                    deadLettered(message, group);
                })));
    }

    private void finished(Message<?> message) {
        message.getMetadata(IncomingKafkaRecordMetadata.class)
                .ifPresent(record -> offsets.finished(record.getTopic(), record.getPartition(), record.getOffset()));
    }

    private void applied(Message<?> message) {
        if (!(message.getPayload() instanceof String record)) {
            return;
        }
        Stamp stamp;
        try {
            stamp = json.readValue(record, Stamp.class);
        } catch (Exception e) {
            return;
        }
        if (stamp.type() == null || stamp.occurredAt() == null) {
            return;
        }
        Duration age = Duration.between(stamp.occurredAt(), Instant.now());
        Timer.builder(APPLY_AGE)
                .description("age of an event (now - occurredAt) when a read model applied it")
                .tag("topic", topic(message))
                .tag("type", TYPE.matcher(stamp.type()).matches() ? stamp.type() : "other")
                .register(registry)
                .record(age.isNegative() ? Duration.ZERO : age);
    }

    private void deadLettered(Message<?> message, String group) {
        deadLetters(topic(message), group).increment();
    }

    private Counter deadLetters(String topic, String group) {
        return Counter.builder(DEAD_LETTERED)
                .description("consumed records that could not be applied and went to the dead-letter topic")
                .tag("topic", topic)
                .tag("group", group)
                .register(registry);
    }

    private static String topic(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getTopic)
                .orElse("unknown");
    }
}
