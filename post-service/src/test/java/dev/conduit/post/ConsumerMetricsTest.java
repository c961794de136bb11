package dev.conduit.post;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.Scrape;
import dev.conduit.localstack.testing.TestEvents;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer metrics of post-service's authors read model in Prometheus form, moved by real
 * records on the broker: an applied event counts its age, a poison record one dead letter, and a
 * burst of events a lag that drains back to zero (fetched records waiting in the connector's queue
 * count too, so the lag shows however fast the client fetches the burst).
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class ConsumerMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> REGISTERED = Map.of("topic", Topics.USERS, "type", "UserRegistered");
    /** Every partition of the topic: the burst's key lands on one of them. */
    private static final Map<String, String> LAG = Map.of("group", "post-service", "topic", Topics.USERS);

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void anAppliedEventIsCountedWithItsAge() {
        double before = scrape().valueOrZero("conduit_event_apply_age_seconds_count", REGISTERED);
        Authors.registered();
        await().atMost(WAIT).until(() -> scrape().valueOrZero("conduit_event_apply_age_seconds_count", REGISTERED) == before + 1);
        Scrape after = scrape();
        assertTrue(after.valueOrZero("conduit_event_apply_age_seconds_sum", REGISTERED) > 0, after.text());
        assertEquals(before + 1, after.value("conduit_event_apply_age_seconds_bucket",
                with(REGISTERED, "le", "+Inf")).orElseThrow());
        assertTrue(after.value("conduit_event_apply_age_seconds_bucket", with(REGISTERED, "le", "0.1")).isPresent(), after.text());
    }

    @Test
    void aPoisonRecordIsCountedAsDeadLettered() {
        Map<String, String> deadLetters = Map.of("topic", Topics.USERS, "group", "post-service");
        // published at 0 before any dead letter, so that the first one is an increase Prometheus sees
        double before = scrape().value("conduit_events_dead_lettered_total", deadLetters).orElseThrow();
        TestEvents.send(Topics.USERS, "poison-" + UUID.randomUUID(), "{ this is not an envelope");
        await().atMost(WAIT).until(() -> scrape().valueOrZero("conduit_events_dead_lettered_total", deadLetters) == before + 1);
        // the connector's dead-letter producer is no outbox: its sends are not timed as the relay's
        assertTrue(scrape().text().lines().filter(l -> l.startsWith("conduit_outbox_send_seconds"))
                .noneMatch(l -> l.contains("dead-letter-queue")), scrape().text());
    }

    @Test
    void aBurstOfEventsShowsAsLagUntilItIsApplied() {
        assertTrue(scrape().text().lines().filter(l -> l.startsWith("conduit_consumer_lag{")).allMatch(l -> l.contains("partition=\"")
                && l.contains("group=\"post-service\"") && l.contains("topic=\"" + Topics.USERS + "\"")), "one series per partition");
        await("the partitions' lag is published").atMost(WAIT)
                .until(() -> scrape().sum("conduit_consumer_lag", LAG).orElse(-1) == 0);
        String userId = new ObjectId().toHexString();
        List<ProducerRecord<String, String>> burst = IntStream.rangeClosed(1, 5_000)
                .mapToObj(version -> new ProducerRecord<>(Topics.USERS, userId, TestEvents.envelope(
                        version == 1 ? "UserRegistered" : "UserProfileChanged", userId, version,
                        "{\"userId\":\"" + userId + "\",\"username\":\"burst_" + userId + "\",\"bio\":\"" + version
                                + "\",\"image\":null}")))
                .toList();
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            kafka.produceStrings().fromRecords(burst).awaitCompletion(WAIT);
        }
        await("records behind the end").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> scrape().sum("conduit_consumer_lag", LAG).orElse(0) > 0);
        await("applied, nothing behind").atMost(WAIT)
                .until(() -> scrape().sum("conduit_consumer_lag", LAG).orElse(-1) == 0);
    }

    private Scrape scrape() {
        return Scrape.of(management);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(name, value);
        return all;
    }
}
