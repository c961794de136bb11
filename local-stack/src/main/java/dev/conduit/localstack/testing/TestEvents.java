package dev.conduit.localstack.testing;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events onto the test broker the way their owning service would (envelope, key,
 * headers), to drive a consuming service's read models; or anything else, to test poison handling.
 */
public final class TestEvents {

    private TestEvents() {
    }

    /** An envelope as JSON text; {@code dataJson} is the payload object. */
    public static String envelope(String type, String aggregateId, long version, String dataJson) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"schemaVersion\":1,"
                + "\"aggregateId\":\"" + aggregateId + "\",\"aggregateVersion\":" + version + ","
                + "\"occurredAt\":\"" + Instant.now() + "\",\"data\":" + dataJson + "}";
    }

    /** Sends one record and waits for the broker's ack. */
    public static void send(String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }
}
